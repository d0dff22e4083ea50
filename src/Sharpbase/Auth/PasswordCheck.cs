namespace Sharpbase.Auth;

/// <summary>The outcome of checking a password against its stored hash.</summary>
/// <param name="Valid">The password matches.</param>
/// <param name="NeedsRehash">
/// The password matches but the stored hash uses other parameters than the current ones: hash it
/// again and store the new hash.
/// </param>
internal readonly record struct PasswordCheck(bool Valid, bool NeedsRehash);
