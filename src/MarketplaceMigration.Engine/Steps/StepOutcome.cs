using System.Collections.Generic;
using System.Globalization;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>What a step did: a summary line and its figures.</summary>
public sealed class StepOutcome
{
    /// <summary>One line for people.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>Figures by name.</summary>
    public Dictionary<string, string> Details { get; } = new();

    /// <summary>Records a figure.</summary>
    public StepOutcome Set(string name, object value)
    {
        Details[name] = System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return this;
    }
}
