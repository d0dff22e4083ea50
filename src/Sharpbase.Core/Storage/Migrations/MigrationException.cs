namespace Sharpbase.Storage.Migrations;

/// <summary>A migration that cannot be applied to the data the database holds.</summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception with a message fit for an operator.</summary>
    public MigrationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MigrationException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public MigrationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
