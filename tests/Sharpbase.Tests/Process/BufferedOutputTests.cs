namespace Sharpbase.Tests.Process;

/// <summary>Standard output to a pipe goes through a buffer: lines still arrive while the server runs, and none is lost at exit.</summary>
[Collection(ProcessTestGroup.Name)]
public sealed class BufferedOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private SharpbaseProcess? _server;

    public void Dispose()
    {
        _server?.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Serve_OutputToAPipe_RequestLinesWhileRunningAndShutdownLinesAtExit()
    {
        _server = await SharpbaseProcess.ServeAsync(_folder.Path, SharpbaseProcess.BlogSchemaPath, _folder.Combine("data"), "posts");
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };

        using (await client.GetAsync("/api/tags?limit=3"))
        {
        }
        await _server.WaitForOutputAsync("GET /api/{collection} tags -> 200", TimeSpan.FromSeconds(10));
        _server.Terminate();
        var exit = await _server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains("Database closed cleanly", _server.Stdout, StringComparison.Ordinal);
    }
}
