using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace JobServer
{
    /// <summary>Writes audit lines. TextWriter.FlushAsync(CancellationToken) exists on .NET 8 only.</summary>
    public class AuditLog
    {
        private readonly TextWriter _writer;

        public AuditLog(TextWriter writer)
        {
            _writer = writer;
        }

        public async Task WriteAsync(string line, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _writer.WriteLineAsync(line);
            await _writer.FlushAsync();
        }
    }
}
