using System.Security.Cryptography;

namespace Sharpbase.Hosting;

/// <summary>
/// The secret that signs opaque tokens such as list cursors: 32 random bytes kept in the data
/// folder (readable by the owner only), created on first start.
/// </summary>
internal static class ServerSecret
{
    public const string FileName = "server.key";
    private const int Length = 32;

    public static byte[] LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length == Length)
            {
                return existing;
            }
            throw new SharpbaseStartupException($"{path} is not a {Length}-byte key; delete it to have a new one made (outstanding cursors become invalid)");
        }
        var key = RandomNumberGenerator.GetBytes(Length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, options))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }
        return key;
    }
}
