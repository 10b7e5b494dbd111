namespace GracefulStop.Behaviour.Tests;

/// <summary>
/// Programs that the package's fixes do not make stop yet, each with the reason. They are run like every other
/// program; the suite checks that they still fail before fixing and fails when one of them starts to stop after
/// fixing (then it belongs with the others: remove it from this list).
/// </summary>
public static class KnownFailures
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
