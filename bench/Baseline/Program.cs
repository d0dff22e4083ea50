using Sharpbase.Bench.Baseline;

// The raw baseline: `baseline --data DIR --urls http://127.0.0.1:PORT`. It serves the same posts from
// the same SQLite file as Sharpbase, with the same SQL, the same JSON and the same token validation,
// and nothing else (no logging, metrics, rate limits or security headers).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var data = builder.Configuration["data"] ?? throw new InvalidOperationException("--data DIR is required");
var tokens = new TokenCheck(Path.Combine(data, "jwt-keys.json"));
var app = builder.Build();
// `--postgres CONNECTION` (bench/run-postgres.sh): the same endpoints on a Sharpbase PostgreSQL database.
if (builder.Configuration["postgres"] is { Length: > 0 } postgres)
{
    var posts = new PostgresPostStore(postgres);
    app.Lifetime.ApplicationStopped.Register(posts.Dispose);
    PostgresPostEndpoints.Map(app, posts, tokens);
}
else
{
    var store = new PostStore(Path.Combine(data, "data.db"));
    app.Lifetime.ApplicationStopped.Register(store.Dispose);
    PostEndpoints.Map(app, store, tokens);
    GraphQLEndpoint.Map(app, store);
}
app.Run();
