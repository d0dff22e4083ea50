using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Sharpbase.Errors;
using Sharpbase.Rest;
using Sharpbase.Hosting;
using Sharpbase.Rules;

namespace Sharpbase.GraphQL;

/// <summary>
/// Runs GraphQL requests: size and document limits, parse, the mutation-over-GET check, then
/// validation and execution by GraphQL.NET against the API generated for the schema being served.
/// </summary>
internal sealed class GraphQLService
{
    private const int MaxParserDepth = 64;

    private readonly GraphQLSchemaCache _schemas;
    private readonly IValidationRule[] _rules;
    // Queries run their fields one after another, like mutations. Every field but a root one only
    // reads JSON the database already built, so running them in parallel gained nothing and cost a
    // task and a list per level (GraphQL.NET's default for queries); a root field is one statement.
    private readonly DocumentExecuter _executer = new(new GraphQLDocumentBuilder(), new DocumentValidator(),
        new DefaultExecutionStrategySelector([new ExecutionStrategyRegistration(SerialExecutionStrategy.Instance, OperationType.Query)]), []);

    public GraphQLService(GraphQLSchemaCache schemas, IOptions<GraphQLOptions> options, IOptions<SharpbaseOptions> server)
    {
        _schemas = schemas;
        Options = options.Value;
        var dev = server.Value.DevMode;
        Introspection = Options.Introspection ?? dev;
        _rules = Introspection ? [.. DocumentValidator.CoreRules] : [.. DocumentValidator.CoreRules, NoIntrospectionValidationRule.Instance];
        Serializer = new GraphQLSerializer(GraphQLJson.Configure, new GraphQLErrorInfo(Options.Suggestions ?? dev));
    }

    public GraphQLOptions Options { get; }

    public bool Introspection { get; }

    public GraphQLSerializer Serializer { get; }

    public GraphQLApi Api(SharpbaseRuntime runtime) => _schemas.For(runtime.Engine.Schema);

    /// <summary>Runs one request; the status is 200 unless the document is refused before execution.</summary>
    public async Task<(int Status, ExecutionResult Result)> RunAsync(GraphQLRequest request, bool viaGet, SharpbaseRuntime runtime, CallerContext caller, HttpContext context)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(request.Query) > Options.MaxDocumentBytes)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, $"the query is larger than {Options.MaxDocumentBytes} bytes");
        }
        var api = Api(runtime);
        var cached = api.Documents.TryGet(request.Query, out var document);
        if (!cached)
        {
            try
            {
                // Locations are kept so that a validation or field error points at its node (line and column).
                document = Parser.Parse(request.Query, new ParserOptions { Ignore = IgnoreOptions.Comments, MaxDepth = MaxParserDepth });
            }
            catch (GraphQLParserException e)
            {
                return Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, "the query is not valid GraphQL: " + e.Description);
            }
            if (DocumentLimits.Check(document, Options) is { } limit)
            {
                return Refused(StatusCodes.Status422UnprocessableEntity, GraphQLCodes.LimitExceeded, limit);
            }
        }
        var operation = Operation(document!, request.OperationName)?.Operation;
        // There is no subscription type: refused before anything runs, not a 200 with data null.
        if (operation == OperationType.Subscription)
        {
            return Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, "subscriptions are not supported; GraphQL here answers queries and mutations");
        }
        var mutation = operation == OperationType.Mutation;
        if (viaGet && mutation)
        {
            return Refused(StatusCodes.Status405MethodNotAllowed, ProblemCodes.MethodNotAllowed, "mutations are sent with POST");
        }
        // A mutation's fields write one after another, each in its own transaction, and nothing
        // stores their answer: a retry under an Idempotency-Key would write again, so it is refused
        // rather than silently ignored.
        if (mutation && context.Request.Headers.ContainsKey(IdempotencyGate.HeaderName))
        {
            return Refused(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest,
                "Idempotency-Key is not supported on GraphQL mutations; send writes that must happen once to /api (one record, or several in /api/batch) with it");
        }
        var result = await _executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = api.Schema,
            Query = request.Query,
            Document = document,
            OperationName = request.OperationName,
            Variables = request.Variables,
            UserContext = new GraphQLRequestContext(api, runtime.Engine, caller, context.Response.RegisterForDispose),
            // No validation rule depends on the operation name or the variables (their values are
            // coerced after the rules, on every run), so a document validated once stays valid.
            ValidationRules = cached ? [] : _rules,
            RequestServices = context.RequestServices,
            CancellationToken = context.RequestAborted,
            // Faults (an unavailable database) reach the central error handling; expected outcomes are field errors.
            ThrowOnUnhandledException = true,
        });
        if (!cached && result.Executed)
        {
            api.Documents.Set(request.Query, document!, request.Query.Length);
        }
        return (result.Executed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity, result);
    }

    public static (int Status, ExecutionResult Result) Refused(int status, string code, string message) =>
        (status, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static GraphQLOperationDefinition? Operation(GraphQLDocument document, string? name)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return name is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.Find(o => o.Name?.StringValue == name);
    }
}
