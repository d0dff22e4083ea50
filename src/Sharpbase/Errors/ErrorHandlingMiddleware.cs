using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sharpbase.Auth;
using Sharpbase.Hosting;
using Sharpbase.Storage;

namespace Sharpbase.Errors;

/// <summary>
/// The one place where faults and bare status codes become problem responses. Exceptions are
/// logged by type and trace id only: their messages may hold SQL or values, so they never leave.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    private const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return;
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ToProblem(context, exception).ExecuteAsync(context);
            return;
        }
        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentType is null)
        {
            await BareStatus(context).ExecuteAsync(context);
        }
    }

    private Problem ToProblem(HttpContext context, Exception exception)
    {
        var route = context.GetEndpoint()?.DisplayName ?? "(no route)";
        switch (exception)
        {
            case StorageUnavailableException:
            // A connection that broke mid-statement (the database restarting) is as unavailable as one that could not open.
            case System.Data.Common.DbException { IsTransient: true }:
                SharpbaseLog.Unavailable(logger, context.Request.Method, route, Problem.TraceId(context));
                return new Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "the database is unavailable; retry shortly")
                {
                    RetryAfterSeconds = RetryAfterSeconds,
                };
            case PasswordHasherBusyException:
                // A login flood: shed load instead of queueing more memory-hard work; not a server fault.
                SharpbaseLog.HashingBusy(logger, context.Request.Method, route, Problem.TraceId(context));
                return new Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "too many sign-ins are being checked; retry shortly")
                {
                    RetryAfterSeconds = RetryAfterSeconds,
                };
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return new Problem(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, "the request body is larger than allowed");
            case BadHttpRequestException bad:
                return new Problem(bad.StatusCode, ProblemCodes.BadRequest, "the request could not be read");
            default:
                SharpbaseLog.Unhandled(logger, exception.GetType().FullName ?? "Exception", ExceptionSummary.Code(exception), context.Request.Method, route, Problem.TraceId(context));
                return new Problem(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError,
                    "the server failed to handle the request; report the trace_id to the operator");
        }
    }

    private static Problem BareStatus(HttpContext context)
    {
        var status = context.Response.StatusCode;
        return status switch
        {
            StatusCodes.Status404NotFound => Problem.NotFound($"there is no route '{context.Request.Path}'"),
            StatusCodes.Status405MethodNotAllowed => new Problem(status, ProblemCodes.MethodNotAllowed,
                $"{context.Request.Method} is not allowed here; allowed: {context.Response.Headers.Allow}"),
            StatusCodes.Status413PayloadTooLarge => new Problem(status, ProblemCodes.BodyTooLarge, "the request body is larger than allowed"),
            StatusCodes.Status415UnsupportedMediaType => new Problem(status, ProblemCodes.UnsupportedMediaType, "the request body must be application/json"),
            _ => new Problem(status, status >= 500 ? ProblemCodes.InternalError : ProblemCodes.BadRequest, "the request failed"),
        };
    }
}
