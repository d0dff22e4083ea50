using System.Text.Json;

namespace Sharpbase.Records;

/// <summary>The kind of write in a batch.</summary>
public enum BatchAction
{
    /// <summary>Create a record.</summary>
    Create,
    /// <summary>Patch a record.</summary>
    Update,
    /// <summary>Delete a record.</summary>
    Delete,
}

/// <summary>One write of a batch, already routed by the transport.</summary>
public sealed record BatchOperation(BatchAction Action, string Collection, string? Id, JsonElement Body);
