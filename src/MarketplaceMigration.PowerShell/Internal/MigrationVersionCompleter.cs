using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.SchemaMigrations;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Completes -Until with the versions of the migrations there are: from the -Source directories typed
/// on the line, else &lt;root&gt;/migrations of -ShopwareRoot (or $env:SHOPWARE_ROOT, or the current
/// directory), in run order, each with its name. Reads no database.
/// </summary>
public sealed class MigrationVersionCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters
    )
    {
        var root =
            fakeBoundParameters?["ShopwareRoot"] as string
            ?? Environment.GetEnvironmentVariable("SHOPWARE_ROOT")
            ?? Directory.GetCurrentDirectory();
        var sources = fakeBoundParameters?["Source"] switch
        {
            string one => new[] { one },
            object[] many => many.OfType<string>().ToArray(),
            _ => new[] { Path.Combine(root, "migrations") },
        };
        IReadOnlyList<CatalogEntry> entries;
        try
        {
            entries = SchemaMigrationCatalog.Load(sources, Path.Combine(root, "migrations-lock.yml"), missingIsEmpty: true).Entries;
        }
        catch (MigrationException)
        {
            yield break; // an unreadable source completes like none: the command itself will say what is wrong
        }

        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var entry in entries.Where(e => e.Version.StartsWith(word, StringComparison.Ordinal)))
        {
            yield return new CompletionResult(
                entry.Version,
                $"{entry.Version} {entry.Name}",
                CompletionResultType.ParameterValue,
                $"{entry.Version} {entry.Name}"
            );
        }
    }
}
