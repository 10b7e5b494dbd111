namespace GracefulStop.Tests.Verification;

/// <summary>The documents of a test project and the diagnostics expected in them.</summary>
public sealed class SolutionState
{
    public SourceFileList Sources { get; } = new("/0/Test", ".cs");

    /// <summary><c>.editorconfig</c> files and global AnalyzerConfig files, with their paths.</summary>
    public SourceFileList AnalyzerConfigFiles { get; } = new("/0/.editorconfig", string.Empty);

    public List<DiagnosticResult> ExpectedDiagnostics { get; } = new();

    /// <summary>When false, the markup in <see cref="Sources"/> is ignored rather than read as expectations.</summary>
    public bool MarkupHandling { get; set; } = true;

    public static string DefaultPath(int index) => $"/0/Test{index}.cs";
}

/// <summary>A list of (path, content) pairs that also takes bare contents and names them in order.</summary>
public sealed class SourceFileList : List<(string Path, string Content)>
{
    private readonly string _prefix;
    private readonly string _extension;

    public SourceFileList(string prefix, string extension)
    {
        _prefix = prefix;
        _extension = extension;
    }

    public void Add(string content) =>
        Add((_extension.Length == 0 && Count == 0 ? _prefix : $"{_prefix}{Count}{_extension}", content));
}
