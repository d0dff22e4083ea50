using BenchmarkDotNet.Attributes;
using Sharpbase.Auth;

namespace Sharpbase.Bench.Micro;

/// <summary>Validating an ES256 access token, as every authenticated request does.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private string _folder = null!;
    private AccessTokens _tokens = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("sharpbase-bench-").FullName;
        var options = new JwtOptions();
        _tokens = new AccessTokens(SigningKeys.LoadOrCreate(_folder, options, TimeProvider.System), options, TimeProvider.System);
        _token = _tokens.Issue(new AccessTokenClaims("01a21417-47a8-7e17-ac8a-ef520ecb3801", "01a21417-480d-72ed-bfb6-12e0fb48bde2", AccessTokenClaims.UserKind, 1));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public async Task<AccessTokenClaims?> Validate() => await _tokens.ValidateAsync(_token);
}
