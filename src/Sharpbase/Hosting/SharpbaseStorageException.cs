namespace Sharpbase.Hosting;

/// <summary>
/// The data folder or database cannot be opened or used (a file where the folder should be, no
/// permission, a file that is not a database); the message names the path and is for the operator.
/// </summary>
public sealed class SharpbaseStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SharpbaseStorageException()
    {
    }

    /// <summary>Creates the exception with a message fit for an operator.</summary>
    public SharpbaseStorageException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SharpbaseStorageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
