using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallCanWaitForeverAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallCanWaitForeverCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>A process told its input has ended finishes and exits (fresh set 7, FlaUI's video recorder and its encoder).</summary>
public sealed partial class BlockingCallCanWaitForeverAnalyzerTests
{
    [Fact]
    public Task WaitForExit_right_after_the_process_input_was_closed_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.IO;
            using System.IO.Pipes;
            using System.Threading.Tasks;

            class Recorder
            {
                void Encode(ProcessStartInfo info, byte[] frames)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        process.StandardInput.BaseStream.Write(frames, 0, frames.Length);
                        process.StandardInput.Close();
                        process.WaitForExit();
                    });
                }

                void Pipe(string name, byte[] frames)
                {
                    Task.Run(async () =>
                    {
                        using var pipe = new NamedPipeServerStream(name, PipeDirection.Out);
                        using var encoder = await StartEncoderAsync(name, pipe);
                        pipe.Write(frames, 0, frames.Length);
                        pipe.Flush();
                        pipe.Close();
                        encoder?.WaitForExit();
                    });
                }

                private static async Task<Process> StartEncoderAsync(string pipeName, NamedPipeServerStream pipe)
                {
                    var process = Process.Start("encoder", "-i " + pipeName);
                    await pipe.WaitForConnectionAsync();
                    return process;
                }
            }
            """);

    /// <summary>The look-alikes: the wait comes before the close, or the stream closed was not given to the process.</summary>
    [Fact]
    public Task WaitForExit_before_closing_the_input_or_after_closing_another_stream_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.IO;
            using System.Threading.Tasks;

            class Recorder
            {
                void Encode(ProcessStartInfo info)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        process.{|#0:WaitForExit|}();
                        process.StandardInput.Close();
                    });
                }

                void Other(ProcessStartInfo info, string path)
                {
                    Task.Run(() =>
                    {
                        var log = File.OpenWrite(path);
                        using var process = Process.Start(info);
                        log.Close();
                        process.{|#1:WaitForExit|}();
                    });
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("process.WaitForExit()", "thread"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("process.WaitForExit()", "thread"));
}
