namespace Sharpbase.Storage;

/// <summary>The database could not be reached or stayed busy; clients should retry later.</summary>
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
