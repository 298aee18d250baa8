using System;
using System.Globalization;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// One primary-key value as stored in a checkpoint: binary keys as hex, everything else as the
/// server's text, so a key survives the state file exactly and binds back as the same value.
/// </summary>
public sealed class KeyValue
{
    /// <summary><c>int</c>, <c>uint</c> (bound as 64-bit integers: a string compared with a BIGINT goes through a double),
    /// <c>hex</c> for bytes, <c>text</c> for everything else.</summary>
    public string Kind { get; set; } = "text";

    /// <summary>The value.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>From a value read off the server.</summary>
    public static KeyValue From(object value) =>
        value switch
        {
            byte[] bytes => new KeyValue { Kind = "hex", Value = ToHex(bytes) },
            sbyte or short or int or long => new KeyValue { Kind = "int", Value = Convert.ToString(value, CultureInfo.InvariantCulture)! },
            byte or ushort or uint or ulong => new KeyValue
            {
                Kind = "uint",
                Value = Convert.ToString(value, CultureInfo.InvariantCulture)!,
            },
            _ => new KeyValue { Value = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty },
        };

    /// <summary>The value to bind as a query parameter.</summary>
    public object ToParameter() =>
        Kind switch
        {
            "hex" => FromHex(Value),
            "int" => long.Parse(Value, CultureInfo.InvariantCulture),
            "uint" => ulong.Parse(Value, CultureInfo.InvariantCulture),
            _ => Value,
        };

    /// <summary>For messages: <c>0x0A1B...</c> or the text.</summary>
    public override string ToString() => Kind == "hex" ? "0x" + Value : Value;

    private static string ToHex(byte[] bytes)
    {
        var chars = new char[bytes.Length * 2];
        const string digits = "0123456789ABCDEF";
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    private static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = byte.Parse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return bytes;
    }
}
