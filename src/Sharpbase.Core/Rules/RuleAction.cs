namespace Sharpbase.Rules;

/// <summary>What a caller wants to do with a collection's records.</summary>
public enum RuleAction
{
    /// <summary>List and count.</summary>
    List,
    /// <summary>Read one record, or see it in an expansion.</summary>
    View,
    /// <summary>Create a record.</summary>
    Create,
    /// <summary>Change a record.</summary>
    Update,
    /// <summary>Delete a record.</summary>
    Delete,
}
