using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Verification;

/// <summary>What a test expects one diagnostic to be; shaped like Microsoft.CodeAnalysis.Testing's type.</summary>
public readonly record struct DiagnosticLocation(string? Path, LinePositionSpan Span, bool StartOnly, int? MarkupKey)
{
    public override string ToString() =>
        Path is null && MarkupKey is int key ? $"{{#{key}}}" :
        StartOnly ? $"{Path}({Span.Start.Line + 1},{Span.Start.Character + 1})" :
        $"{Path}({Span.Start.Line + 1},{Span.Start.Character + 1},{Span.End.Line + 1},{Span.End.Character + 1})";
}

public readonly struct DiagnosticResult
{
    private readonly ImmutableArray<DiagnosticLocation> _locations;
    private readonly ImmutableArray<object?> _arguments;

    private DiagnosticResult(string id, DiagnosticSeverity? severity, ImmutableArray<DiagnosticLocation> locations,
        ImmutableArray<object?> arguments, string? message, bool ignoreAdditionalLocations)
    {
        Id = id;
        Severity = severity;
        _locations = locations;
        _arguments = arguments;
        Message = message;
        IgnoreAdditionalLocations = ignoreAdditionalLocations;
    }

    public DiagnosticResult(string id, DiagnosticSeverity? severity = null)
        : this(id, severity, ImmutableArray<DiagnosticLocation>.Empty, default, null, false)
    {
    }

    public static DiagnosticResult CompilerError(string id) => new(id, DiagnosticSeverity.Error);

    public static DiagnosticResult CompilerWarning(string id) => new(id, DiagnosticSeverity.Warning);

    public string Id { get; }

    public DiagnosticSeverity? Severity { get; }

    public string? Message { get; }

    public bool IgnoreAdditionalLocations { get; }

    public ImmutableArray<DiagnosticLocation> Locations => _locations.IsDefault ? ImmutableArray<DiagnosticLocation>.Empty : _locations;

    public ImmutableArray<object?> MessageArguments => _arguments;

    public bool HasLocation => !Locations.IsEmpty;

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) =>
        new(Id, severity, Locations, _arguments, Message, IgnoreAdditionalLocations);

    public DiagnosticResult WithArguments(params object?[] arguments) =>
        new(Id, Severity, Locations, arguments.ToImmutableArray(), Message, IgnoreAdditionalLocations);

    public DiagnosticResult WithMessage(string message) =>
        new(Id, Severity, Locations, _arguments, message, IgnoreAdditionalLocations);

    public DiagnosticResult WithIgnoredAdditionalLocations() =>
        new(Id, Severity, Locations, _arguments, Message, true);

    /// <summary>A location named by <c>{|#key:...|}</c> markup in the sources.</summary>
    public DiagnosticResult WithLocation(int markupKey) =>
        Add(new DiagnosticLocation(null, default, false, markupKey));

    /// <summary>Start position only (1-based), in the first source file.</summary>
    public DiagnosticResult WithLocation(int line, int column) => WithLocation(SolutionState.DefaultPath(0), line, column);

    public DiagnosticResult WithLocation(string path, int line, int column) =>
        Add(new DiagnosticLocation(path, new LinePositionSpan(new LinePosition(line - 1, column - 1), new LinePosition(line - 1, column - 1)), true, null));

    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn) =>
        WithSpan(SolutionState.DefaultPath(0), startLine, startColumn, endLine, endColumn);

    public DiagnosticResult WithSpan(string path, int startLine, int startColumn, int endLine, int endColumn) =>
        Add(new DiagnosticLocation(path, new LinePositionSpan(new LinePosition(startLine - 1, startColumn - 1), new LinePosition(endLine - 1, endColumn - 1)), false, null));

    internal DiagnosticResult WithResolvedLocations(ImmutableArray<DiagnosticLocation> locations) =>
        new(Id, Severity, locations, _arguments, Message, IgnoreAdditionalLocations);

    private DiagnosticResult Add(DiagnosticLocation location) =>
        new(Id, Severity, Locations.Add(location), _arguments, Message, IgnoreAdditionalLocations);

    /// <summary>The message the descriptor would produce with the expected arguments, if they were given.</summary>
    internal string? ExpectedMessage(DiagnosticDescriptor? descriptor)
    {
        if (Message is not null)
        {
            return Message;
        }

        if (_arguments.IsDefault || descriptor is null)
        {
            return null;
        }

        return string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), _arguments.ToArray());
    }

    public override string ToString()
    {
        var builder = new StringBuilder(Id);
        if (Severity is { } severity)
        {
            builder.Append(' ').Append(severity);
        }

        foreach (var location in Locations)
        {
            builder.Append(" at ").Append(location);
        }

        if (Message is not null)
        {
            builder.Append(": ").Append(Message);
        }
        else if (!_arguments.IsDefault)
        {
            builder.Append(" with (").Append(string.Join(", ", _arguments)).Append(')');
        }

        return builder.ToString();
    }
}
