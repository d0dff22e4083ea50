using Sharpbase.Storage.Postgres;

namespace Sharpbase.Core.Tests.Storage;

public sealed class PostgresConnectionTests
{
    private const string Password = "s3cret-Pa55";

    [Fact]
    public void Parse_Url_TakesHostPortDatabaseUserPasswordAndOptions()
    {
        var builder = PostgresConnection.Parse($"postgres://app:{Uri.EscapeDataString(Password)}@db.internal:6543/shop?sslmode=require&maximum_pool_size=20");

        Assert.Equal(("db.internal", 6543, "shop", "app", Password), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal(20, builder.MaxPoolSize);
        Assert.Equal("postgresql://db.internal:6543/shop", PostgresConnection.Describe(builder));
    }

    [Fact]
    public void Parse_KeyValues_KeepsEveryOption()
    {
        var builder = PostgresConnection.Parse($"Host=127.0.0.1;Port=5433;Database=shop;Username=app;Password={Password};Maximum Pool Size=8");

        Assert.Equal(("127.0.0.1", 5433, "shop", 8), (builder.Host, builder.Port, builder.Database, builder.MaxPoolSize));
    }

    [Theory]
    [InlineData($"Port=5432;Username=app;Password={Password}", "has no Host")]
    [InlineData($";Maximum Pool Size=8;Password={Password}", "has no Host")]
    [InlineData($"Host=;Port=5432;Password={Password}", "has no Host")]
    [InlineData($"Host= ;Password={Password}", "has no Host")]
    [InlineData($"Host=127.0.0.1;Multiplexing=true;Pooling=false;Password={Password}", "Pooling must be on to use multiplexing")]
    [InlineData($"Host=127.0.0.1;Bogus=1;Password={Password}", "is not valid (expected")]
    [InlineData($"Host=127.0.0.1;Port=abc;Password={Password}", "is not valid (expected")]
    [InlineData($"postgres://app:{Password}@/shop", "URL is not valid")]
    [InlineData($"postgres://app:{Password}@db:5432/shop?bogus_option=1", "unknown option 'bogus_option'")]
    public void Parse_InvalidSetting_ThrowsArgumentExceptionSayingWhyWithoutThePassword(string setting, string reason)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => PostgresConnection.Parse(setting));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(ArgumentException), error.GetType());
    }
}
