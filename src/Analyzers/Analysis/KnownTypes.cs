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
/// The types the rules look for, each looked up on first use, once per compilation, and shared by every analyzer.
/// A null member means the compilation cannot use that type, so rules that need it register nothing.
/// </summary>
public sealed class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new();

    private StrongBox<INamedTypeSymbol?>? _thread;
    private StrongBox<INamedTypeSymbol?>? _threadAbortException;
    private StrongBox<INamedTypeSymbol?>? _threadInterruptedException;
    private StrongBox<INamedTypeSymbol?>? _threadStart;
    private StrongBox<INamedTypeSymbol?>? _parameterizedThreadStart;
    private StrongBox<INamedTypeSymbol?>? _cancellationToken;
    private StrongBox<INamedTypeSymbol?>? _cancellationTokenSource;
    private StrongBox<INamedTypeSymbol?>? _operationCanceledException;
    private StrongBox<INamedTypeSymbol?>? _task;
    private StrongBox<INamedTypeSymbol?>? _taskOfT;
    private StrongBox<INamedTypeSymbol?>? _taskFactory;
    private StrongBox<INamedTypeSymbol?>? _taskFactoryOfT;
    private StrongBox<INamedTypeSymbol?>? _threadPool;
    private StrongBox<INamedTypeSymbol?>? _parallel;
    private StrongBox<INamedTypeSymbol?>? _parallelOptions;
    private StrongBox<INamedTypeSymbol?>? _waitHandle;
    private StrongBox<INamedTypeSymbol?>? _volatile;
    private StrongBox<INamedTypeSymbol?>? _interlocked;
    private StrongBox<INamedTypeSymbol?>? _monitor;
    private StrongBox<INamedTypeSymbol?>? _timeSpan;
    private StrongBox<INamedTypeSymbol?>? _backgroundService;
    private StrongBox<INamedTypeSymbol?>? _hostedService;
    private StrongBox<INamedTypeSymbol?>? _blockingCollectionOfT;
    private StrongBox<INamedTypeSymbol?>? _semaphoreSlim;
    private StrongBox<INamedTypeSymbol?>? _manualResetEventSlim;
    private StrongBox<INamedTypeSymbol?>? _countdownEvent;
    private StrongBox<INamedTypeSymbol?>? _barrier;
    private StrongBox<INamedTypeSymbol?>? _spinWait;
    private StrongBox<INamedTypeSymbol?>? _taskAwaiter;
    private StrongBox<INamedTypeSymbol?>? _taskAwaiterOfT;
    private StrongBox<INamedTypeSymbol?>? _process;
    private StrongBox<INamedTypeSymbol?>? _console;
    private StrongBox<INamedTypeSymbol?>? _environment;
    private StrongBox<INamedTypeSymbol?>? _taskCanceledException;
    private StrongBox<INamedTypeSymbol?>? _aggregateException;
    private StrongBox<INamedTypeSymbol?>? _threadStaticAttribute;
    private StrongBox<INamedTypeSymbol?>? _webApiController;

    // The runtime plus one, once worked out (0: not yet).
    private int _runtimePlusOne;

    private KnownTypes(Compilation compilation) => Compilation = compilation;

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Thread => Resolve(ref _thread, "System.Threading.Thread");

    public INamedTypeSymbol? ThreadAbortException => Resolve(ref _threadAbortException, "System.Threading.ThreadAbortException");

    public INamedTypeSymbol? ThreadInterruptedException => Resolve(ref _threadInterruptedException, "System.Threading.ThreadInterruptedException");

    public INamedTypeSymbol? ThreadStart => Resolve(ref _threadStart, "System.Threading.ThreadStart");

    public INamedTypeSymbol? ParameterizedThreadStart => Resolve(ref _parameterizedThreadStart, "System.Threading.ParameterizedThreadStart");

    public INamedTypeSymbol? CancellationToken => Resolve(ref _cancellationToken, "System.Threading.CancellationToken");

    public INamedTypeSymbol? CancellationTokenSource => Resolve(ref _cancellationTokenSource, "System.Threading.CancellationTokenSource");

    public INamedTypeSymbol? OperationCanceledException => Resolve(ref _operationCanceledException, "System.OperationCanceledException");

    public INamedTypeSymbol? Task => Resolve(ref _task, "System.Threading.Tasks.Task");

    public INamedTypeSymbol? TaskOfT => Resolve(ref _taskOfT, "System.Threading.Tasks.Task`1");

    public INamedTypeSymbol? TaskFactory => Resolve(ref _taskFactory, "System.Threading.Tasks.TaskFactory");

    public INamedTypeSymbol? TaskFactoryOfT => Resolve(ref _taskFactoryOfT, "System.Threading.Tasks.TaskFactory`1");

    public INamedTypeSymbol? ThreadPool => Resolve(ref _threadPool, "System.Threading.ThreadPool");

    public INamedTypeSymbol? Parallel => Resolve(ref _parallel, "System.Threading.Tasks.Parallel");

    public INamedTypeSymbol? ParallelOptions => Resolve(ref _parallelOptions, "System.Threading.Tasks.ParallelOptions");

    public INamedTypeSymbol? WaitHandle => Resolve(ref _waitHandle, "System.Threading.WaitHandle");

    public INamedTypeSymbol? Volatile => Resolve(ref _volatile, "System.Threading.Volatile");

    public INamedTypeSymbol? Interlocked => Resolve(ref _interlocked, "System.Threading.Interlocked");

    public INamedTypeSymbol? Monitor => Resolve(ref _monitor, "System.Threading.Monitor");

    public INamedTypeSymbol? TimeSpan => Resolve(ref _timeSpan, "System.TimeSpan");

    public INamedTypeSymbol? BackgroundService => Resolve(ref _backgroundService, "Microsoft.Extensions.Hosting.BackgroundService");

    public INamedTypeSymbol? HostedService => Resolve(ref _hostedService, "Microsoft.Extensions.Hosting.IHostedService");

    public INamedTypeSymbol? BlockingCollectionOfT => Resolve(ref _blockingCollectionOfT, "System.Collections.Concurrent.BlockingCollection`1");

    public INamedTypeSymbol? SemaphoreSlim => Resolve(ref _semaphoreSlim, "System.Threading.SemaphoreSlim");

    public INamedTypeSymbol? ManualResetEventSlim => Resolve(ref _manualResetEventSlim, "System.Threading.ManualResetEventSlim");

    public INamedTypeSymbol? CountdownEvent => Resolve(ref _countdownEvent, "System.Threading.CountdownEvent");

    public INamedTypeSymbol? Barrier => Resolve(ref _barrier, "System.Threading.Barrier");

    public INamedTypeSymbol? SpinWait => Resolve(ref _spinWait, "System.Threading.SpinWait");

    public INamedTypeSymbol? TaskAwaiter => Resolve(ref _taskAwaiter, "System.Runtime.CompilerServices.TaskAwaiter");

    public INamedTypeSymbol? TaskAwaiterOfT => Resolve(ref _taskAwaiterOfT, "System.Runtime.CompilerServices.TaskAwaiter`1");

    public INamedTypeSymbol? Process => Resolve(ref _process, "System.Diagnostics.Process");

    public INamedTypeSymbol? Console => Resolve(ref _console, "System.Console");

    public INamedTypeSymbol? Environment => Resolve(ref _environment, "System.Environment");

    public INamedTypeSymbol? TaskCanceledException => Resolve(ref _taskCanceledException, "System.Threading.Tasks.TaskCanceledException");

    public INamedTypeSymbol? AggregateException => Resolve(ref _aggregateException, "System.AggregateException");

    public TargetRuntime Runtime
    {
        get
        {
            var value = System.Threading.Volatile.Read(ref _runtimePlusOne);
            if (value == 0)
            {
                value = (int)DetectRuntime(Compilation) + 1;
                System.Threading.Volatile.Write(ref _runtimePlusOne, value);
            }

            return (TargetRuntime)(value - 1);
        }
    }

    public INamedTypeSymbol? ThreadStaticAttribute => Resolve(ref _threadStaticAttribute, "System.ThreadStaticAttribute");

    /// <summary>ASP.NET Web API's controller base: where it is referenced, a message handler may be the server's.</summary>
    public INamedTypeSymbol? WebApiController => Resolve(ref _webApiController, "System.Web.Http.ApiController");

    public static KnownTypes Get(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    /// <summary>
    /// Looks a type up on first use. A metadata-name look-up searches every referenced assembly (tens of microseconds
    /// each on a .NET 8 project); resolving all of them up front cost the first analyzer of each build 4 to 7 ms, most
    /// of it for types that code without threads never makes a rule ask about. Two threads may both look a type up;
    /// they find the same symbol.
    /// </summary>
    private INamedTypeSymbol? Resolve(ref StrongBox<INamedTypeSymbol?>? slot, string metadataName)
    {
        var box = System.Threading.Volatile.Read(ref slot);
        if (box is null)
        {
            box = new StrongBox<INamedTypeSymbol?>(Compilation.GetTypeByMetadataName(metadataName));
            box = System.Threading.Interlocked.CompareExchange(ref slot, box, null) ?? box;
        }

        return box.Value;
    }

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
