namespace GracefulStop.CodeFixes;

/// <summary>Names the code-fix assembly for tools and tests that load it.</summary>
public static class CodeFixAssemblyMarker
{
}
