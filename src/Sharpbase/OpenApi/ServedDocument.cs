using Sharpbase.Schema;

namespace Sharpbase.OpenApi;

/// <summary>The document of one schema, serialized once as JSON and YAML, with the ETag of its content.</summary>
internal sealed record ServedDocument(AppSchema Schema, byte[] Json, byte[] Yaml, string ETag);
