// The end-to-end consumer: one file per rule under Cases/, each a class implementing IStoppableCase.
// A line that must be reported ends in "// expect: GSxxxx" ("// expect-nofix: GSxxxx" when no fix is offered).
// Run after `dotnet format` has applied the fixes, this program starts every case, asks each to stop,
// and fails if one does not stop within a second.
using System.Diagnostics;
using Consumer;

var cases = typeof(IStoppableCase).Assembly.GetTypes()
    .Where(t => typeof(IStoppableCase).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract)
    .OrderBy(t => t.Name, StringComparer.Ordinal)
    .Select(t => (IStoppableCase)Activator.CreateInstance(t)!)
    .ToList();

foreach (var @case in cases)
{
    @case.Start();
}

Thread.Sleep(200);

var failures = 0;
foreach (var @case in cases)
{
    Exception? error = null;
    var stopwatch = Stopwatch.StartNew();
    var stopper = new Thread(() =>
    {
        try
        {
            @case.Stop();
        }
        catch (Exception e)
        {
            error = e;
        }
    })
    { IsBackground = true };
    stopper.Start();
    var returned = stopper.Join(TimeSpan.FromSeconds(1));
    var name = @case.GetType().Name;
    if (!returned)
    {
        failures++;
        Console.WriteLine($"{name}: did not stop within 1000 ms");
    }
    else if (error is not null)
    {
        failures++;
        Console.WriteLine($"{name}: Stop threw {error.GetType().Name}: {error.Message}");
    }
    else
    {
        Console.WriteLine($"{name}: stopped in {stopwatch.ElapsedMilliseconds} ms");
    }
}

Console.WriteLine($"{cases.Count} cases, {failures} failed to stop");
// A worker that is still running (a foreground thread) keeps the process alive: the test's timeout catches it.
return failures == 0 ? 0 : 1;

namespace Consumer
{
    /// <summary>A case: <see cref="Start"/> starts its work; <see cref="Stop"/> asks it to stop and waits for it.</summary>
    public interface IStoppableCase
    {
        void Start();

        void Stop();
    }
}
