namespace GracefulStop.Analyzers;

/// <summary>The rule identifiers, the one place they are spelled.</summary>
public static class RuleIds
{
    public const string ThreadAbort = "GS0001";
    public const string ThreadInterrupt = "GS0002";
    public const string LoopIgnoresToken = "GS0003";
    public const string WorkerLoopCannotStop = "GS0004";
    public const string StopFlag = "GS0007";
}
