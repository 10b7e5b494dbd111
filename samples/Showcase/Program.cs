// GracefulStop showcase: every file in this folder holds the anti-patterns of one rule.
// Build it to see the warnings:  dotnet build samples/Showcase --no-incremental
Console.WriteLine("GracefulStop showcase: build this project (dotnet build samples/Showcase --no-incremental) to see the GS warnings.");
