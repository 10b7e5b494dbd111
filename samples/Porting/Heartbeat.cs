using System.Collections.Concurrent;
using System.Threading;

namespace JobServer
{
    /// <summary>Counts the beats the dispatcher sends; takes each one with no timeout.</summary>
    public class Heartbeat
    {
        private readonly BlockingCollection<int> _beats = new BlockingCollection<int>();
        private volatile bool _stopping;
        private Thread _thread;
        private int _count;

        public int Count
        {
            get { return _count; }
        }

        public void Start()
        {
            _thread = new Thread(() => Run());
            _thread.Start();
        }

        public void Beat()
        {
            _beats.Add(1);
        }

        /// <summary>Returns once the next beat has been counted: the dispatcher must still be beating.</summary>
        public void Stop()
        {
            _stopping = true;
            _thread.Join();
        }

        private void Run()
        {
            while (!_stopping)
            {
                _beats.Take();
                _count++;
            }
        }
    }
}
