using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>A mail sender taking from a queue with the token, catching Exception around each item and going on.</summary>
public sealed class SwallowedCancellationTakeLoop : IStoppable
{
    private readonly BlockingCollection<string> _mails = new();
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _sender;
    private Timer? _producer;
    private long _sent;

    public long Progress => Interlocked.Read(ref _sent);

    public void Start()
    {
        _sender = new Thread(() => Send(_cancellation.Token));
        _sender.Start();
        _producer = new Timer(_ => _mails.Add("hello"), null, 0, 10);
    }

    public void Stop()
    {
        // Wait until no timer callback is running or queued: a late one would wake the worker and let the original
        // program stop by chance (seen under load).
        using (var callbacksDone = new ManualResetEvent(false))
        {
            if (_producer?.Dispose(callbacksDone) == true)
            {
                callbacksDone.WaitOne();
            }
        }

        _cancellation.Cancel();
        _sender?.Join();
    }

    private void Send(CancellationToken token)
    {
        for (;;)
        {
            try
            {
                var mail = _mails.Take(token);
                Interlocked.Add(ref _sent, mail.Length > 0 ? 1 : 0);
            }
            catch (Exception e)
            {
                Console.Error.Write(e.GetType().Name.Length > 1000 ? "!" : string.Empty);
            }
        }
    }
}
