namespace Sharpbase.Hosting;

/// <summary>The first superuser, from configuration (<c>SHARPBASE__SUPERUSER__EMAIL</c>, <c>SHARPBASE__SUPERUSER__PASSWORD</c>).</summary>
public sealed class SuperuserSeed
{
    /// <summary>The superuser's email.</summary>
    public string? Email { get; set; }

    /// <summary>The superuser's password; used only when no superuser exists yet.</summary>
    public string? Password { get; set; }
}
