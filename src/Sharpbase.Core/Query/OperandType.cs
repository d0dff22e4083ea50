namespace Sharpbase.Query;

/// <summary>What a comparison operand holds, for type checking.</summary>
internal enum OperandType
{
    /// <summary>text, email, url, uuid and select fields; strings; <c>@auth.id</c>.</summary>
    Text,
    /// <summary>Relation fields: ids, compared with text but never ordered or searched.</summary>
    Relation,
    Number,
    Boolean,
    DateTime,
    Date,
    Json,
    Null,
    /// <summary>A variable whose type is only known at run time (<c>@auth.&lt;field&gt;</c>).</summary>
    Any,
    /// <summary>A list variable: <c>@auth.roles</c>, or <c>@body</c> of a multiple relation.</summary>
    TextList,
}
