namespace Sharpbase.Schema;

/// <summary>The type of a declared field; the names in a schema file are the lower-case forms.</summary>
#pragma warning disable CA1720 // the members are the schema language's type names
public enum FieldType
{
    /// <summary>UTF-8 text; <c>min</c>/<c>max</c> bound its length in characters.</summary>
    Text,
    /// <summary>A 64-bit signed integer.</summary>
    Integer,
    /// <summary>A finite IEEE 754 double.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>An ISO 8601 instant, stored and returned in UTC with <c>Z</c>.</summary>
    DateTime,
    /// <summary>An ISO 8601 calendar date (<c>yyyy-MM-dd</c>).</summary>
    Date,
    /// <summary>Any JSON value.</summary>
    Json,
    /// <summary>An e-mail address.</summary>
    Email,
    /// <summary>An absolute http or https URL.</summary>
    Url,
    /// <summary>A UUID in canonical lower-case form.</summary>
    Uuid,
    /// <summary>One of the declared <c>values</c>.</summary>
    Select,
    /// <summary>The id of a record of another collection, or a list of them when <c>multiple</c>.</summary>
    Relation,
}
#pragma warning restore CA1720
