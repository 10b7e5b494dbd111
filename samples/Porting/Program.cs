using System;
using System.Diagnostics;
using System.Threading;

namespace JobServer
{
    /// <summary>Starts the server, lets it work for half a second, stops it and says how long stopping took.</summary>
    public static class Program
    {
        public static int Main()
        {
            var server = new Server();
            server.Start();
            Thread.Sleep(500);

            var stopwatch = Stopwatch.StartNew();
            try
            {
                server.Stop();
            }
            catch (Exception e)
            {
                Console.WriteLine("Stop failed: " + e.GetType().Name + ": " + e.Message);
                // The server's threads are still running and would keep the process alive.
                Environment.Exit(1);
            }

            Console.WriteLine("Processed " + server.Processed + " jobs; stopped in " + stopwatch.ElapsedMilliseconds + " ms");
            return 0;
        }
    }
}
