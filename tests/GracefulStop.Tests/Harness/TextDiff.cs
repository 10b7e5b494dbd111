using System.Text;

namespace GracefulStop.Tests.Harness;

/// <summary>A readable line diff for failed text comparisons, with invisible characters made visible.</summary>
public static class TextDiff
{
    public static string Describe(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var builder = new StringBuilder();
        builder.AppendLine("--- expected");
        builder.AppendLine("+++ actual");
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                builder.Append("  ").AppendLine(Visible(a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                builder.Append("+ ").AppendLine(Visible(b[y]));
                y++;
            }
            else
            {
                builder.Append("- ").AppendLine(Visible(a[x]));
                x++;
            }
        }

        return builder.ToString();
    }

    private static string Visible(string line)
    {
        var trimmed = line.TrimEnd('\r');
        var suffix = line.Length != trimmed.Length ? "\\r" : string.Empty;
        if (trimmed.Length > 0 && char.IsWhiteSpace(trimmed[^1]))
        {
            suffix = "·(trailing whitespace)" + suffix;
        }

        return trimmed.Replace("\t", "\\t", StringComparison.Ordinal) + suffix;
    }
}
