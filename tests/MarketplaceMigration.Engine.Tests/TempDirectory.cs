using System;
using System.IO;

namespace MarketplaceMigration.Engine.Tests;

/// <summary>A real directory for one test class's files, removed afterwards.</summary>
public abstract class TempDirectory : IDisposable
{
    protected TempDirectory(string prefix) => Dir = Directory.CreateTempSubdirectory(prefix).FullName;

    protected string Dir { get; }

    /// <summary>Writes a file in the directory and returns its path.</summary>
    protected string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
