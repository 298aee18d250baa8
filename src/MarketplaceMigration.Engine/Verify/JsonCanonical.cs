using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// JSON by content: MySQL 8 stores JSON normalised (keys sorted, whitespace dropped, numbers
/// re-encoded), MariaDB keeps the text as written. Both ends' values are brought to one form here:
/// object keys sorted ordinally, no whitespace, strings re-escaped one way, numbers by value
/// (<c>1e2</c> = <c>100</c> = <c>100.0</c>). Text that is not JSON is kept as it is, marked, so it
/// still compares exactly.
/// </summary>
public static class JsonCanonical
{
    /// <summary>The canonical form of a JSON document.</summary>
    public static string Canonicalize(string json)
    {
        if (json is null)
            throw new ArgumentNullException(nameof(json));
        try
        {
            using var document = JsonDocument.Parse(json);
            var builder = new StringBuilder(json.Length);
            Write(builder, document.RootElement);
            return builder.ToString();
        }
        catch (JsonException)
        {
            return "\u0000raw:" + json;
        }
    }

    private static void Write(StringBuilder b, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                b.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                        b.Append(',');
                    first = false;
                    WriteString(b, p.Name);
                    b.Append(':');
                    Write(b, p.Value);
                }

                b.Append('}');
                break;
            case JsonValueKind.Array:
                b.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0)
                        b.Append(',');
                    Write(b, item);
                }

                b.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(b, e.GetString()!);
                break;
            case JsonValueKind.Number:
                b.Append(Number(e.GetRawText()));
                break;
            default:
                b.Append(e.GetRawText());
                break;
        }
    }

    private static string Number(string raw)
    {
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            // 100, 100.0 and 1e2 are the same number; MySQL 8 may write any of them for the same input.
            return (d / 1.0000000000000000000000000000m).ToString("G29", CultureInfo.InvariantCulture);
        }

        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    private static void WriteString(StringBuilder b, string s)
    {
        b.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    b.Append("\\\"");
                    break;
                case '\\':
                    b.Append("\\\\");
                    break;
                default:
                    if (c < 0x20)
                        b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        b.Append(c);
                    break;
            }
        }

        b.Append('"');
    }
}
