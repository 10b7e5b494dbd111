using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The runtime a compilation targets, as far as thread control is concerned.</summary>
public enum TargetRuntime
{
    /// <summary>.NET Core, .NET 5 and later: Abort, Suspend and Resume throw PlatformNotSupportedException.</summary>
    DotNet,

    /// <summary>.NET Framework (and Mono): Abort and Suspend really act on the thread.</summary>
    Framework,

    /// <summary>.NET Standard: the library may run on either.</summary>
    Either,
}

/// <summary>
/// The types the rules look for, resolved once per compilation and shared by every analyzer.
/// A null member means the compilation cannot use that type, so rules that need it register nothing.
/// </summary>
public sealed class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new();

    private KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        ThreadAbortException = compilation.GetTypeByMetadataName("System.Threading.ThreadAbortException");
        ThreadInterruptedException = compilation.GetTypeByMetadataName("System.Threading.ThreadInterruptedException");
        ThreadStart = compilation.GetTypeByMetadataName("System.Threading.ThreadStart");
        ParameterizedThreadStart = compilation.GetTypeByMetadataName("System.Threading.ParameterizedThreadStart");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
        ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        Parallel = compilation.GetTypeByMetadataName("System.Threading.Tasks.Parallel");
        ParallelOptions = compilation.GetTypeByMetadataName("System.Threading.Tasks.ParallelOptions");
        WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
        Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        BackgroundService = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.BackgroundService");
        BlockingCollectionOfT = compilation.GetTypeByMetadataName("System.Collections.Concurrent.BlockingCollection`1");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        ManualResetEventSlim = compilation.GetTypeByMetadataName("System.Threading.ManualResetEventSlim");
        CountdownEvent = compilation.GetTypeByMetadataName("System.Threading.CountdownEvent");
        Barrier = compilation.GetTypeByMetadataName("System.Threading.Barrier");
        SpinWait = compilation.GetTypeByMetadataName("System.Threading.SpinWait");
        TaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter");
        TaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter`1");
        Process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        Console = compilation.GetTypeByMetadataName("System.Console");
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        TaskCanceledException = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCanceledException");
        AggregateException = compilation.GetTypeByMetadataName("System.AggregateException");
        Runtime = DetectRuntime(compilation);
        ThreadStaticAttribute = compilation.GetTypeByMetadataName("System.ThreadStaticAttribute");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? ThreadAbortException { get; }

    public INamedTypeSymbol? ThreadInterruptedException { get; }

    public INamedTypeSymbol? ThreadStart { get; }

    public INamedTypeSymbol? ParameterizedThreadStart { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? OperationCanceledException { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskFactoryOfT { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? Parallel { get; }

    public INamedTypeSymbol? ParallelOptions { get; }

    public INamedTypeSymbol? WaitHandle { get; }

    public INamedTypeSymbol? Volatile { get; }

    public INamedTypeSymbol? Interlocked { get; }

    public INamedTypeSymbol? Monitor { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? BackgroundService { get; }

    public INamedTypeSymbol? BlockingCollectionOfT { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? ManualResetEventSlim { get; }

    public INamedTypeSymbol? CountdownEvent { get; }

    public INamedTypeSymbol? Barrier { get; }

    public INamedTypeSymbol? SpinWait { get; }

    public INamedTypeSymbol? TaskAwaiter { get; }

    public INamedTypeSymbol? TaskAwaiterOfT { get; }

    public INamedTypeSymbol? Process { get; }

    public INamedTypeSymbol? Console { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? TaskCanceledException { get; }

    public INamedTypeSymbol? AggregateException { get; }

    public TargetRuntime Runtime { get; }

    public INamedTypeSymbol? ThreadStaticAttribute { get; }

    public static KnownTypes Get(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    private static TargetRuntime DetectRuntime(Compilation compilation)
    {
        var corLibrary = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.Name;
        return corLibrary switch
        {
            "mscorlib" => TargetRuntime.Framework,
            "netstandard" => TargetRuntime.Either,
            _ => TargetRuntime.DotNet,
        };
    }
}
