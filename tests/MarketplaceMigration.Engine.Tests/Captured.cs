using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Tests;

/// <summary>Captured information_schema snapshots kept as JSON beside the tests.</summary>
public static class Captured
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Captured");

    /// <summary>The source folder, for recapturing (MM_RECAPTURE=1).</summary>
    public static string SourceDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Captured"));

    public static SchemaSnapshot Load(string name)
        => JsonSerializer.Deserialize<SchemaSnapshot>(File.ReadAllText(Path.Combine(Directory, name)), Json)!;

    public static string Sql => File.ReadAllText(Path.Combine(Directory, "capture.sql"));
}
