using Sharpbase.Storage.Postgres;

namespace Sharpbase.Core.Tests.Storage;

/// <summary>
/// Whether a database setting gets a multiplexing pool: on for a machine of up to four processors
/// unless the setting turns it off or asks for what Npgsql does not multiplex; the setting decides
/// when it says.
/// </summary>
public sealed class PostgresConnectionTests
{
    [Theory]
    [InlineData("Host=db;Database=app;Username=u;Password=p")]
    [InlineData("postgres://u:p@db:5432/app")]
    [InlineData("postgresql://u:p@db/app?sslmode=disable&timeout=5")]
    public void Multiplexes_SettingSilent_On(string setting) =>
        Assert.True(PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), 2));

    [Theory]
    [InlineData("Host=db;Database=app;Multiplexing=false", false)]
    [InlineData("Host=db;Database=app;multiplexing=False", false)]
    [InlineData("Host=db;Database=app;Multiplexing=true", true)]
    [InlineData("postgres://u:p@db/app?Multiplexing=false", false)]
    [InlineData("postgres://u:p@db/app?multiplexing=false&sslmode=disable", false)]
    [InlineData("postgres://u:p@db/app?multiplexing=true", true)]
    public void Multiplexes_SettingSaysSo_FollowsIt(string setting, bool expected) =>
        Assert.Equal(expected, PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), 2));

    [Theory]
    [InlineData("Host=primary,standby;Database=app")]
    [InlineData("Host=db;Database=app;Keepalive=30")]
    [InlineData("Host=db;Database=app;Pooling=false")]
    [InlineData("postgres://u:p@db/app?keepalive=30")]
    public void Multiplexes_SettingAsksForWhatNpgsqlDoesNotMultiplex_Off(string setting) =>
        Assert.False(PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), 2));

    [Theory]
    [InlineData("Host=db;Database=app;Password='Multiplexing=false'")]
    [InlineData("postgres://u:multiplexing%3Dfalse@db/app")]
    [InlineData("postgres://u:p@db/multiplexing")]
    public void Multiplexes_WordOnlyInsideAValue_StillOn(string setting) =>
        Assert.True(PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), 2));

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(64, false)]
    public void Multiplexes_SettingSilent_OnlyUpToFourProcessors(int processors, bool expected)
    {
        const string setting = "Host=db;Database=app";

        Assert.Equal(expected, PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), processors));
    }

    [Fact]
    public void Multiplexes_SettingSaysTrueOnALargeMachine_On()
    {
        const string setting = "Host=db;Database=app;Multiplexing=true";

        Assert.True(PostgresConnection.Multiplexes(setting, PostgresConnection.Parse(setting), 64));
    }
}
