namespace GracefulStop.Analyzers;

/// <summary>The rule identifiers, the one place they are spelled.</summary>
public static class RuleIds
{
    public const string ThreadAbort = "GS0001";
    public const string ThreadInterrupt = "GS0002";
    public const string StopFlag = "GS0007";
    public const string TokenNotObservedByWork = "GS0008";
    public const string CancellationSwallowed = "GS0009";
    public const string BlockingCallIgnoresToken = "GS0005";
    public const string BlockingCallCanWaitForever = "GS0006";
}
