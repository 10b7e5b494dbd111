using System.Net;
using System.Net.Sockets;

namespace Behaviour.Programs;

/// <summary>A TCP server thread accepting clients with a blocking accept; it checks its token between clients.</summary>
public sealed class SocketAcceptServer : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Thread? _server;
    private Timer? _clients;
    private long _accepted;

    public long Progress => Interlocked.Read(ref _accepted);

    public void Start()
    {
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var token = _cancellation.Token;
        _server = new Thread(() => Serve(token));
        _server.Start();
        _clients = new Timer(_ =>
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
        }, null, 0, 10);
    }

    public void Stop()
    {
        _clients?.Dispose();
        Thread.Sleep(50);
        _cancellation.Cancel();
        _server?.Join();
    }

    private void Serve(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            using var client = _listener.AcceptTcpClient();
            Interlocked.Increment(ref _accepted);
        }
    }
}
