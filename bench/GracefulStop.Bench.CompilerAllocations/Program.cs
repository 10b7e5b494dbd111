using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

// dotnet run -c Release --project bench/GracefulStop.Bench.CompilerAllocations -- ROUNDS PROJECT_DIR ARM.rsp [ARM.rsp ...]
//
// Each ARM.rsp holds the csc arguments of one build (take them from the Csc task line of `dotnet build -v:d`, give each
// arm its own /out: and /doc:, and change only the /analyzer: and /analyzerconfig: arguments between arms). Round 0
// warms the compiler up and is printed but should not be counted. Output: round arm wall_ms cpu_ms allocated_mb exit.
if (args.Length < 3 || !int.TryParse(args[0], out var rounds))
{
    Console.Error.WriteLine("usage: ROUNDS PROJECT_DIR ARM.rsp [ARM.rsp ...]");
    return 2;
}

var responseFiles = args.Skip(2).Select(Path.GetFullPath).ToArray();
Directory.SetCurrentDirectory(args[1]);
var compilerDirectory = Environment.GetEnvironmentVariable("CSC_DIRECTORY") ?? NewestSdkCompiler();
AssemblyLoadContext.Default.Resolving += (context, name) =>
{
    var path = Path.Combine(compilerDirectory, name.Name + ".dll");
    return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
};
var csc = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(compilerDirectory, "csc.dll"));
var main = csc.GetTypes()
    .Select(t => t.GetMethod("Main", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(string[]) }))
    .First(m => m is not null)!;

Console.WriteLine($"# compiler: {compilerDirectory}");
Console.WriteLine("round arm wall_ms cpu_ms allocated_mb exit");
var process = Process.GetCurrentProcess();
var console = Console.Out;
for (var round = 0; round <= rounds; round++)
{
    foreach (var responseFile in responseFiles)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        Console.SetOut(TextWriter.Null);
        var exit = main.Invoke(null, new object[] { new[] { "/nologo", "@" + responseFile } });
        Console.SetOut(console);
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine($"{round} {Path.GetFileNameWithoutExtension(responseFile)} {watch.ElapsedMilliseconds} {cpu.TotalMilliseconds:F0} {allocated / 1048576.0:F1} {exit}");
    }
}

return 0;

static string NewestSdkCompiler()
{
    var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
    var sdk = Directory.GetDirectories(Path.Combine(root, "sdk"))
        .Where(d => File.Exists(Path.Combine(d, "Roslyn", "bincore", "csc.dll")))
        .OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
        .Last();
    return Path.Combine(sdk, "Roslyn", "bincore");
}
