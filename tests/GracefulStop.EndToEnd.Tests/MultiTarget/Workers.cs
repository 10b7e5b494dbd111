// A .NET Framework-era library, built for net462, netstandard2.0 and net8.0, written in C# 7.3 (the default
// language version of the older targets). "// expect: GSxxxx" marks a finding every target reports;
// "// expect(net8.0): GSxxxx" one that only the listed targets report (the API it names is newer).
using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Legacy.Library
{
    /// <summary>Stopped with Thread.Abort and Interrupt: both rules, on every target, with each target's message.</summary>
    public class AbortedWorker
    {
        private Thread _thread;
        private int _count;

        public void Start()
        {
            _thread = new Thread(Run);
            _thread.Start();
        }

        public void Stop()
        {
            _thread.Abort(); // expect: GS0001
            _thread.Join();
        }

        public void Wake()
        {
            _thread.Interrupt(); // expect: GS0002
        }

        private void Run()
        {
            while (true)
            {
                _count++;
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>A stop flag polled by one thread and written by another.</summary>
    public class FlagWorker
    {
        private bool _stopping; // expect: GS0007
        private Thread _thread;

        public void Start()
        {
            _thread = new Thread(Run);
            _thread.Start();
        }

        public void Stop()
        {
            _stopping = true;
            _thread.Join();
        }

        private void Run()
        {
            while (!_stopping)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Token overloads: Sleep has a form every target has; FlushAsync(token) and GetHostAddressesAsync(host, token) are .NET 5+ only.</summary>
    public class Sender
    {
        public void Pump(CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                Thread.Sleep(1000); // expect: GS0005
            }
        }

        public async Task FlushAsync(TextWriter writer, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            await writer.FlushAsync(); // expect(net8.0): GS0005
        }

        public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            return await Dns.GetHostAddressesAsync(host); // expect(net8.0): GS0005
        }

        public void Drain(CancellationToken token, Action step)
        {
            while (true) // expect: GS0003
            {
                step();
            }
        }
    }
}
