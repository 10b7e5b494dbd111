using System.Threading;

namespace JobServer
{
    /// <summary>Counts a beat each time it is signalled; waits for the signal with no timeout.</summary>
    public class Heartbeat
    {
        private readonly ManualResetEventSlim _signal = new ManualResetEventSlim(false);
        private volatile bool _stopping;
        private Thread _thread;
        private int _beats;

        public int Beats
        {
            get { return _beats; }
        }

        public void Start()
        {
            _thread = new Thread(() => Run());
            _thread.Start();
        }

        public void Beat()
        {
            _signal.Set();
        }

        public void Stop()
        {
            _stopping = true;
            _signal.Set();
            _thread.Join();
        }

        private void Run()
        {
            while (!_stopping)
            {
                _signal.Wait();
                _signal.Reset();
                _beats++;
            }
        }
    }
}
