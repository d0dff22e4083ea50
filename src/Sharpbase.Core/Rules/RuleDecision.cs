namespace Sharpbase.Rules;

/// <summary>What a rule says before looking at any record.</summary>
public enum RuleDecision
{
    /// <summary>Allowed, whatever the record.</summary>
    Allowed,
    /// <summary>Never allowed for this caller (the rule is absent: superusers only).</summary>
    Denied,
    /// <summary>Allowed for the records the rule's predicate matches.</summary>
    Conditional,
}
