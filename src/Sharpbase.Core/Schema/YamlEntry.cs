using YamlDotNet.RepresentationModel;

namespace Sharpbase.Schema;

/// <summary>One key/value pair of a YAML mapping whose key is a scalar.</summary>
internal readonly record struct YamlEntry(string Key, YamlNode KeyNode, YamlNode Value);
