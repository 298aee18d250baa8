using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Completes -Table with the data-plane tables: the list of the profile named by -ProfilePath when
/// one is typed on the line (and readable), else the documented default list. Reads no database.
/// </summary>
public sealed class TableCompleter : IArgumentCompleter
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
        IReadOnlyList<string> tables = DataPlaneTables.Default;
        if (fakeBoundParameters?["ProfilePath"] is string path && path.Length > 0)
        {
            try
            {
                if (ProfileFile.Load(path).Tables is { Count: > 0 } listed)
                    tables = listed;
            }
            catch (MigrationException)
            {
                // An unreadable profile completes like none: the command itself will say what is wrong.
            }
        }

        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return tables
            .Where(t => t.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t));
    }
}
