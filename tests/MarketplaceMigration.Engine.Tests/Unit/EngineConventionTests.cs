using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using Xunit;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>Conventions of the engine's code that a reader relies on (STYLE §2), checked over every method.</summary>
public sealed class EngineConventionTests
{
    [Fact]
    public void TheCancellationTokenComesLast()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var misplaced = typeof(Errors.MigrationException)
            .Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !t.Name.Contains('<'))
            .SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all)))
            .Where(m => m.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !m.Name.Contains('<'))
            .Where(m =>
            {
                var parameters = m.GetParameters();
                var token = System.Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
                return token >= 0 && token != parameters.Length - 1;
            })
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();
        Assert.True(misplaced.Count == 0, "A CancellationToken that is not the last parameter: " + string.Join(", ", misplaced));
    }

    [Fact]
    public void NoSourceLineIsWiderThan160Characters()
    {
        // CSharpier (.config/dotnet-tools.json, .csharpierrc.json) lays code out at 140; what it cannot break,
        // long messages and comments, is broken by hand.
        var root = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (root != null && !File.Exists(Path.Combine(root.FullName, "MarketplaceMigration.sln")))
            root = root.Parent;
        Assert.NotNull(root);
        var wide = Directory
            .GetFiles(Path.Combine(root!.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(l => l.line.Length > 160)
            .Select(l => $"{Path.GetRelativePath(root.FullName, l.f)}:{l.i + 1} ({l.line.Length})")
            .ToList();
        Assert.True(wide.Count == 0, "Lines over 160 characters: " + string.Join(", ", wide.Take(20)));
    }
}
