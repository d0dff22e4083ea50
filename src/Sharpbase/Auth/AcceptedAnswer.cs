namespace Sharpbase.Auth;

/// <summary>The body of a 202: the request was taken; the outcome goes to the mailbox.</summary>
internal sealed record AcceptedAnswer(string Status, string Detail);
