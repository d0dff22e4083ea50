namespace Sharpbase.Hosting;

/// <summary>The server cannot start with this schema or configuration; the message is for the operator.</summary>
public sealed class SharpbaseStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SharpbaseStartupException()
    {
    }

    /// <summary>Creates the exception with a message fit for an operator.</summary>
    public SharpbaseStartupException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SharpbaseStartupException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
