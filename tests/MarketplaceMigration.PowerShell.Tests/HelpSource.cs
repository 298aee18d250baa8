using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>One example of a cmdlet's help.</summary>
public sealed record HelpExample(string Cmdlet, string Title, string Code, string? Remarks, bool Run);

/// <summary>One cmdlet's help text from docs/help.yml.</summary>
public sealed record CmdletHelp(string Name, string Synopsis, string Description, string Inputs, string Outputs, IReadOnlyList<HelpExample> Examples);

/// <summary>
/// The one source of help (docs/help.yml plus the cmdlets' doc comments for parameters), and what is
/// generated from it: the MAML file the module ships and docs/cmdlets.md.
/// </summary>
public static class HelpSource
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MarketplaceMigration.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("the repository root (MarketplaceMigration.sln) is not above the test's directory");
        }
    }

    public static string MamlPath => Path.Combine(RepoRoot, "module", "en-US", "MarketplaceMigration.PowerShell.dll-Help.xml");

    public static IReadOnlyList<CmdletHelp> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoRoot, "docs", "help.yml"))) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string Text(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value?.Trim() ?? string.Empty : string.Empty;
        return root.Children.Select(pair =>
        {
            var name = ((YamlScalarNode)pair.Key).Value!;
            var node = (YamlMappingNode)pair.Value;
            var examples = ((YamlSequenceNode)node.Children[new YamlScalarNode("examples")]).Children.Cast<YamlMappingNode>()
                .Select(e => new HelpExample(name, Text(e, "title"), Text(e, "code"), Text(e, "remarks") is { Length: > 0 } r ? r : null, Text(e, "run") == "true")).ToList();
            return new CmdletHelp(name, Text(node, "synopsis"), Text(node, "description"), Text(node, "inputs"), Text(node, "outputs"), examples);
        }).ToList();
    }

    public static IReadOnlyDictionary<string, Type> Cmdlets()
        => typeof(Cmdlets.StartDataMigrationCommand).Assembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(x => x.Attribute != null)
            .ToDictionary(x => x.Attribute!.VerbName + "-" + x.Attribute.NounName, x => x.Type);

    private static readonly HashSet<string> Common = new(Cmdlet.CommonParameters.Concat(new[] { "ProgressAction" }), StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<XDocument> Docs = new(() => XDocument.Load(Path.Combine(AppContext.BaseDirectory, "MarketplaceMigration.PowerShell.xml")));

    /// <summary>The parameters a user types (no common parameters), with their doc-comment descriptions.</summary>
    public static IReadOnlyList<(string Name, ParameterMetadata Metadata, string Description, string[] Values)> Parameters(Type cmdlet)
    {
        var docs = Docs.Value;
        string Doc(PropertyInfo p)
        {
            var member = docs.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == $"P:{p.DeclaringType!.FullName}.{p.Name}");
            var summary = member?.Element("summary");
            if (summary is null) return string.Empty;
            var text = string.Concat(summary.Nodes().Select(n => n is XElement e ? ((string?)e.Attribute("cref"))?.Split('.').Last() ?? e.Value : n.ToString()));
            return Regex.Replace(System.Net.WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
        }

        var metadata = new CommandMetadata(cmdlet);
        var list = new List<(string, ParameterMetadata, string, string[])>();
        foreach (var (name, parameter) in metadata.Parameters.Where(p => !Common.Contains(p.Key)))
        {
            var property = cmdlet.GetProperty(name)!;
            var values = property.GetCustomAttribute<ValidateSetAttribute>()?.ValidValues.ToArray() ?? Array.Empty<string>();
            var description = name switch
            {
                "WhatIf" => "Shows what would happen, changing nothing.",
                "Confirm" => "Asks before each change.",
                _ => Doc(property),
            };
            list.Add((name, parameter, description, values));
        }

        return list;
    }

    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement Paras(XName name, string text) => new(name, text.Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries).Select(p => new XElement(MamlNs + "para", Regex.Replace(p, @"\s+", " ").Trim())));

    /// <summary>The MAML help file's text.</summary>
    public static string Maml(IReadOnlyList<CmdletHelp> help)
    {
        var cmdlets = Cmdlets();
        var items = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
        foreach (var h in help)
        {
            var type = cmdlets[h.Name];
            var defaults = Activator.CreateInstance(type)!;
            var shouldProcess = type.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess;
            var all = Parameters(type)
                .Where(p => p.Name is not ("WhatIf" or "Confirm"))
                .Select(p => (p.Name, p.Metadata.ParameterType, p.Metadata.SwitchParameter, Set: SetOf(p.Metadata.ParameterSets.Values.First()), p.Description,
                    Values: p.Values.Length > 0 ? p.Values : Nullable.GetUnderlyingType(p.Metadata.ParameterType) is { IsEnum: true } u ? Enum.GetNames(u)
                        : p.Metadata.ParameterType.IsEnum ? Enum.GetNames(p.Metadata.ParameterType) : Array.Empty<string>(),
                    Default: Default(type.GetProperty(p.Name)!.GetValue(defaults), p.Metadata.SwitchParameter), p.Metadata.Aliases))
                .ToList();
            if (shouldProcess)
            {
                // PowerShell adds these two at run time: the help names them as every cmdlet's help does.
                all.Add(("WhatIf", typeof(SwitchParameter), true, new ParameterSet(false, -1, false, false), "Shows what would happen, changing nothing.", Array.Empty<string>(), "False", new System.Collections.ObjectModel.Collection<string> { "wi" }));
                all.Add(("Confirm", typeof(SwitchParameter), true, new ParameterSet(false, -1, false, false), "Asks before each change.", Array.Empty<string>(), "False", new System.Collections.ObjectModel.Collection<string> { "cf" }));
            }

            XElement Parameter((string Name, Type Type, bool Switch, ParameterSet Set, string Description, string[] Values, string Default, System.Collections.ObjectModel.Collection<string> Aliases) p, bool inSyntax)
            {
                var set = p.Set;
                var pipeline = set.ByValue ? "True (ByValue)" : set.ByPropertyName ? "True (ByPropertyName)" : "False";
                var typeName = p.Switch ? "SwitchParameter" : p.Type.Name;
                return new XElement(Command + "parameter",
                    new XAttribute("required", set.IsMandatory ? "true" : "false"), new XAttribute("variableLength", "true"), new XAttribute("globbing", "false"),
                    new XAttribute("pipelineInput", pipeline), new XAttribute("position", set.Position >= 0 ? set.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
                    new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
                    new XElement(MamlNs + "name", p.Name),
                    Paras(MamlNs + "description", p.Description),
                    // In the syntax: a switch is only its name, a parameter with fixed values lists them ({Full | Sample}).
                    p.Values.Length > 0 ? new XElement(Command + "parameterValueGroup", p.Values.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))) : null,
                    p.Switch && inSyntax || p.Values.Length > 0 && inSyntax ? null
                        : new XElement(Command + "parameterValue", new XAttribute("required", p.Switch ? "false" : "true"), new XAttribute("variableLength", "false"), typeName),
                    new XElement(Dev + "type", new XElement(MamlNs + "name", typeName), new XElement(MamlNs + "uri")),
                    new XElement(Dev + "defaultValue", p.Default));
            }

            var syntax = all.Select(p => Parameter(p, inSyntax: true)).ToList();
            var parameters = all.Select(p => Parameter(p, inSyntax: false)).ToList();
            var verb = h.Name.Split('-')[0];
            var noun = h.Name.Split('-')[1];
            items.Add(new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", MamlNs), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(Command + "details", new XElement(Command + "name", h.Name), new XElement(Command + "verb", verb), new XElement(Command + "noun", noun), Paras(MamlNs + "description", h.Synopsis)),
                Paras(MamlNs + "description", h.Description),
                new XElement(Command + "syntax", new XElement(Command + "syntaxItem", new XElement(MamlNs + "name", h.Name), syntax)),
                new XElement(Command + "parameters", parameters),
                new XElement(Command + "inputTypes", new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(MamlNs + "name", h.Inputs)), new XElement(MamlNs + "description", new XElement(MamlNs + "para")))),
                new XElement(Command + "returnValues", h.Outputs.Split(',').Select(o => new XElement(Command + "returnValue", new XElement(Dev + "type", new XElement(MamlNs + "name", o.Trim())), new XElement(MamlNs + "description", new XElement(MamlNs + "para"))))),
                new XElement(MamlNs + "alertSet", new XElement(MamlNs + "alert", new XElement(MamlNs + "para", "Passwords never appear in any output, stream or error. Errors carry a stable id (FullyQualifiedErrorId) and end with 'Fix: ...'. See about_MarketplaceMigration."))),
                new XElement(Command + "examples", h.Examples.Select((e, i) => new XElement(Command + "example",
                    new XElement(MamlNs + "title", $"-------------------------- Example {i + 1}: {e.Title} --------------------------"),
                    new XElement(Dev + "code", "PS> " + e.Code),
                    new XElement(Dev + "remarks", new XElement(MamlNs + "para", e.Remarks ?? string.Empty))))),
                new XElement(Command + "relatedLinks", new XElement(MamlNs + "navigationLink", new XElement(MamlNs + "linkText", "about_MarketplaceMigration"), new XElement(MamlNs + "uri")))));
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + items.ToString() + "\n";
    }

    private sealed record ParameterSet(bool IsMandatory, int Position, bool ByValue, bool ByPropertyName);

    private static ParameterSet SetOf(ParameterSetMetadata set) =>
        new(set.IsMandatory, set.Position, set.ValueFromPipeline, set.ValueFromPipelineByPropertyName);

    /// <summary>A parameter's default as help shows it: what a new cmdlet object holds (a switch: False; nothing: None).</summary>
    private static string Default(object? value, bool isSwitch) =>
        isSwitch ? "False"
        : value is null ? "None"
        : value is System.Collections.IEnumerable and not string ? "None"
        : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : "None";

    public const string ReadmeBegin = "<!-- cmdlet-reference:begin (generated from docs/help.yml by HelpTests; MM_REGENERATE=1 rewrites it) -->";
    public const string ReadmeEnd = "<!-- cmdlet-reference:end -->";

    /// <summary>docs/cmdlets.md's reference: each cmdlet's synopsis and examples.</summary>
    public static string Readme(IReadOnlyList<CmdletHelp> help)
    {
        var b = new StringBuilder(ReadmeBegin).Append("\n\n| cmdlet | what it does |\n|---|---|\n");
        foreach (var h in help) b.Append($"| `{h.Name}` | {h.Synopsis.Replace("|", "\\|")} |\n");
        b.Append('\n');
        foreach (var h in help)
        {
            b.Append($"**{h.Name}**\n\n```powershell\n");
            foreach (var e in h.Examples) b.Append($"# {e.Title}\n{e.Code}\n");
            b.Append("```\n\n");
        }

        return b.Append(ReadmeEnd).ToString();
    }
}
