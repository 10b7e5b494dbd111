namespace GracefulStop.Tests.Verification;

/// <summary>
/// Microsoft.CodeAnalysis.Testing waits for an analyzer or fixer as long as it takes; a hang would stall the whole
/// run. This ends a test that takes longer than its limit with a <see cref="TimeoutException"/> instead.
/// </summary>
internal static class TestTimeout
{
    public static async Task RunAsync(Func<CancellationToken, Task> run, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var test = run(timeout.Token);
        // The grace period lets a test that observes the token end with its own exception first.
        var finished = await Task.WhenAny(test, Task.Delay(limit + TimeSpan.FromSeconds(5), cancellationToken));
        if (finished != test)
        {
            throw Hang(limit);
        }

        try
        {
            await test;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Hang(limit);
        }
    }

    private static TimeoutException Hang(TimeSpan limit) =>
        new($"The test did not finish within {limit.TotalSeconds} s: an analyzer or fixer hangs.");
}
