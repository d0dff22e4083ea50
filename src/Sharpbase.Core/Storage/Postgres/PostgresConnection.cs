using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Sharpbase.Storage.Postgres;

/// <summary>
/// Reads the database setting: a URL (<c>postgres://user:pass@host:5432/db?sslmode=require</c>) or
/// a key=value connection string (<c>Host=…;Database=…</c>).
/// </summary>
/// <remarks>
/// Every member that touches an Npgsql type is reached only once the setting names PostgreSQL, and
/// is never inlined into a caller that SQLite also runs: a SQLite server then never loads Npgsql.
/// </remarks>
public static class PostgresConnection
{
    // One entry per data source (the connection strings of open databases), so it stays small.
    private static readonly ConcurrentDictionary<string, string> Namespaces = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="setting"/> names a PostgreSQL database rather than being empty.</summary>
    public static bool IsPostgres(string? setting) =>
        !string.IsNullOrWhiteSpace(setting)
        && (IsUrl(setting) || setting.Contains('=', StringComparison.Ordinal));

    /// <summary>Parses the setting; throws <see cref="ArgumentException"/> with a message that never contains the password.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var builder = IsUrl(setting) ? FromUrl(setting) : FromKeyValues(setting);
        Validate(builder);
        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromKeyValues(string setting)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(setting);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("the database connection string is not valid (expected postgres://user:password@host:5432/database or Host=…;Database=…)");
        }
    }

    // Npgsql checks the combination of options only when a data source is built (no connection is
    // opened here); its messages name options, never their values.
    private static void Validate(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("the database connection string has no Host (expected postgres://user:password@host:5432/database or Host=…;Database=…)");
        }
        try
        {
            using var probe = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("the database connection string is not valid: " + e.Message);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string setting)
    {
        if (!Uri.TryCreate(setting, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("the database URL is not valid (expected postgres://user:password@host:5432/database)");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key.Replace('_', ' ')] = value;
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"the database URL has an unknown option '{key}'");
            }
        }
        return builder;
    }

    /// <summary>Where the setting points: host, port and database, never the user or password.</summary>
    /// <exception cref="ArgumentException">The setting is not a valid PostgreSQL connection.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Describe(string setting) => Describe(Parse(setting));

    /// <summary>Where the database is, for logs and errors: host, port and database, never the user or password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Describe(builder.Host, builder.Port, builder.Database);
    }

    /// <summary><c>postgresql</c> for an Npgsql connection, otherwise the connection's type name (as traces name the system).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string SystemName(DbConnection connection) => connection is NpgsqlConnection ? "postgresql" : connection.GetType().Name;

    /// <summary>
    /// An Npgsql connection's host, port and database, from its connection string (a multiplexed
    /// connection has no physical connection, so no host of its own, until a statement runs);
    /// otherwise the connection's data source.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string? Namespace(DbConnection connection) => connection is NpgsqlConnection npgsql
        ? Namespaces.GetOrAdd(npgsql.ConnectionString, static text => Describe(new NpgsqlConnectionStringBuilder(text)))
        : connection.DataSource;

    internal static string Describe(string? host, int port, string? database) =>
        string.Create(CultureInfo.InvariantCulture, $"postgresql://{host}:{port}/{database}");

    private static bool IsUrl(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
}
