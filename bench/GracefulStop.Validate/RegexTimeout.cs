namespace GracefulStop.Validate;

/// <summary>
/// The match timeout of the tool's regular expressions. They are all linear, so the timeout only guards against a
/// mistake; one second fired under a load average of 40 (a run of set 2 crashed with RegexMatchTimeoutException while
/// other builds shared the two cores), so it is generous.
/// </summary>
internal static class RegexTimeout
{
    public static readonly TimeSpan Value = TimeSpan.FromSeconds(30);
}
