using System.Threading;

namespace JobServer
{
    /// <summary>Freezes a thread while a snapshot is taken: Suspend and Resume have no cooperative equivalent to write for you.</summary>
    public static class Watchdog
    {
        public static void Snapshot(Thread thread)
        {
            thread.Suspend();
            try
            {
                // ... read the state the thread owns ...
            }
            finally
            {
                thread.Resume();
            }
        }
    }
}
