# Visual Studio runs this script when the package is installed into a project that uses packages.config.
# NuGet applies the package's analyzers/ folder only to PackageReference projects; an old-style project gets the
# analyzers as <Analyzer Include="..."> items, which this script adds (the convention of the NetAnalyzers and
# StyleCop packages). It adds only the C# analyzer and code-fix assemblies, and running it twice adds each once.
param($installPath, $toolsPath, $package, $project)

if ($project.Object.SupportsPackageDependencyResolution)
{
    if ($project.Object.SupportsPackageDependencyResolution())
    {
        # PackageReference: the project system reads analyzers/dotnet/cs itself.
        return
    }
}

if ($project.Type -ne "C#" -or -not $project.Object.AnalyzerReferences)
{
    return
}

$analyzersPath = Join-Path (Split-Path -Path $toolsPath -Parent) "analyzers\dotnet\cs"
foreach ($assembly in @("GracefulStop.Analyzers.dll", "GracefulStop.CodeFixes.dll"))
{
    $assemblyPath = Join-Path $analyzersPath $assembly
    if (Test-Path $assemblyPath)
    {
        # Remove first, so that installing again (or over an earlier version's item) leaves exactly one item.
        try { $project.Object.AnalyzerReferences.Remove($assemblyPath) } catch { }
        $project.Object.AnalyzerReferences.Add($assemblyPath)
    }
}
