namespace Sharpbase.Schema;

/// <summary>What a YAML scalar means: plain scalars are resolved like YAML 1.2 core, quoted ones are strings.</summary>
internal enum ScalarKind
{
    Null,
    Boolean,
    Integer,
    Number,
    String,
}
