using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A one-shot pause of constant length in a test assembly: <c>await Task.Delay(50); // let the system purge the PID</c>,
/// a 250 ms pause that makes a lock contended, a mock's 10 ms latency. It is the test's own timing, set against what the
/// test then checks; the token in scope is the test's timeout or a token the test itself cancels, and passing it would
/// change what the test measures (Foundatio's test harness, protoactor and silverback tests, fresh sets 4 and 5). A
/// pause in a loop (a poll over the token), a pause whose length is computed, and any other wait are still reported.
/// </summary>
public static class TestTimingPauses
{
    /// <summary>
    /// An assembly named as tests: a dotted segment that starts or ends with <c>Test</c> (<c>Foundatio.TestHarness</c>,
    /// <c>Proto.Cluster.Tests</c>, <c>Hazel.UnitTests</c>). Asked once per compilation.
    /// </summary>
    public static bool IsTestAssembly(string? assemblyName)
    {
        if (assemblyName is null)
        {
            return false;
        }

        foreach (var segment in assemblyName.Split('.'))
        {
            if (segment.StartsWith("Test", StringComparison.Ordinal)
                || segment.EndsWith("Test", StringComparison.Ordinal)
                || segment.EndsWith("Tests", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Thread.Sleep(c)</c> or <c>Task.Delay(c)</c> with a positive constant, outside any loop of its function.</summary>
    public static bool IsOneShotConstantPause(IInvocationOperation invocation, BlockingCall call, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var isPause = method.IsStatic
            && ((method.Name == "Delay" && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Task))
                || (method.Name == "Sleep" && method.ContainingType is { Name: "Thread", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } }));
        return isPause && call.ConstantTimeoutMs is > 0 && BlockingSites.EnclosingLoop(invocation) is null;
    }
}
