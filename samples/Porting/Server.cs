using System.Collections.Generic;
using System.Threading;

namespace JobServer
{
    /// <summary>
    /// A dispatcher queues jobs and a worker runs them, each on a thread of its own; a janitor sleeps between sweeps.
    /// Stopping sets a flag for the dispatcher, aborts the worker and interrupts the janitor, as code written for
    /// .NET Framework often did.
    /// </summary>
    public class Server
    {
        private readonly Queue<int> _jobs = new Queue<int>();
        private readonly AutoResetEvent _jobReady = new AutoResetEvent(false);
        private readonly ManualResetEventSlim _idle = new ManualResetEventSlim(false);
        private readonly Heartbeat _heartbeat = new Heartbeat();
        private Thread _dispatcher;
        private Thread _worker;
        private Thread _janitor;
        private bool _stopping;
        private int _processed;

        public int Processed
        {
            get { return _processed; }
        }

        public void Start()
        {
            _dispatcher = new Thread(Dispatch);
            _worker = new Thread(Work);
            _janitor = new Thread(Sweep);
            _dispatcher.Start();
            _worker.Start();
            _janitor.Start();
            _heartbeat.Start();
        }

        public void Stop()
        {
            _heartbeat.Stop();
            _stopping = true;
            _dispatcher.Join();
            _worker.Abort();
            _worker.Join();
            _janitor.Interrupt();
            _janitor.Join();
        }

        /// <summary>Blocks until the worker has found the queue empty once.</summary>
        public void WaitUntilIdle()
        {
            _idle.Wait();
        }

        private void Dispatch()
        {
            var next = 0;
            while (!_stopping)
            {
                lock (_jobs)
                {
                    _jobs.Enqueue(next++);
                }

                _jobReady.Set();
                _heartbeat.Beat();
                Thread.Sleep(20);
            }
        }

        private void Work()
        {
            while (true)
            {
                if (!_jobReady.WaitOne(100))
                {
                    _idle.Set();
                    continue;
                }

                lock (_jobs)
                {
                    while (_jobs.Count > 0)
                    {
                        _jobs.Dequeue();
                        _processed++;
                    }
                }
            }
        }

        private void Sweep()
        {
            while (true)
            {
                Thread.Sleep(5000);
            }
        }
    }
}
