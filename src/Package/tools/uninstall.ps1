# Visual Studio runs this script when the package is uninstalled from a project that uses packages.config: it
# removes the <Analyzer Include="..."> items that install.ps1 added. Removing an item that is not there does nothing.
param($installPath, $toolsPath, $package, $project)

if ($project.Object.SupportsPackageDependencyResolution)
{
    if ($project.Object.SupportsPackageDependencyResolution())
    {
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
    try { $project.Object.AnalyzerReferences.Remove($assemblyPath) } catch { }
}
