using GraphQL;
using GraphQL.Execution;

namespace Sharpbase.GraphQL;

/// <summary>
/// How errors are written: <c>extensions.code</c> (the REST problem code for engine outcomes),
/// <c>extensions.errors</c> by field for validation, and without "did you mean" hints when
/// suggestions are off (they would list the schema's names to anyone).
/// </summary>
internal sealed class GraphQLErrorInfo(bool suggestions) : ErrorInfoProvider(new ErrorInfoProviderOptions { ExposeCodes = false, ExposeData = false })
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is RecordError { Errors: { } errors })
        {
            info.Extensions ??= new Dictionary<string, object?>();
            info.Extensions["errors"] = errors;
        }
        if (!suggestions)
        {
            var hint = info.Message.IndexOf(" Did you mean", StringComparison.Ordinal);
            if (hint >= 0)
            {
                info.Message = info.Message[..hint];
            }
        }
        return info;
    }
}
