namespace GracefulStop.Behaviour.Tests;

/// <summary>
/// Programs that the package's preferred fixes (<c>dotnet format</c>, Fix All of each rule's first action) do not make
/// stop, each with the reason. They are run like every other program; the suite checks that they still fail before
/// fixing and after the preferred fixes, and fails when one of them starts to stop (then it belongs with the others:
/// remove it from this list). The secondary actions are run on them like on every program.
/// </summary>
public static class KnownFailures
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
