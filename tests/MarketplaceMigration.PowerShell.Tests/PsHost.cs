using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace MarketplaceMigration.PowerShell.Tests;

/// <summary>
/// Runs a script in the real PowerShell engine with the module imported from the manifest staged
/// beside the tests, and captures every stream.
/// </summary>
public static class PsHost
{
    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "MarketplaceMigration.psd1");

    public static PsRun Invoke(string script, IDictionary<string, object?>? variables = null, bool allStreams = false)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        if (allStreams)
        {
            runspace.SessionStateProxy.SetVariable("VerbosePreference", ActionPreference.Continue);
            runspace.SessionStateProxy.SetVariable("DebugPreference", ActionPreference.Continue);
            runspace.SessionStateProxy.SetVariable("InformationPreference", ActionPreference.Continue);
            runspace.SessionStateProxy.SetVariable("WarningPreference", ActionPreference.Continue);
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, object?>()) runspace.SessionStateProxy.SetVariable(name, value);
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript(script);
        var run = new PsRun();
        try
        {
            run.Output.AddRange(ps.Invoke());
        }
        catch (RuntimeException ex)
        {
            run.Terminating = ex;
        }

        run.Errors.AddRange(ps.Streams.Error);
        run.Warnings.AddRange(ps.Streams.Warning);
        run.Verbose.AddRange(ps.Streams.Verbose);
        run.Debug.AddRange(ps.Streams.Debug);
        run.Information.AddRange(ps.Streams.Information);
        run.Progress.AddRange(ps.Streams.Progress);
        return run;
    }
}

public sealed class PsRun
{
    public List<PSObject> Output { get; } = new();
    public List<ErrorRecord> Errors { get; } = new();
    public List<WarningRecord> Warnings { get; } = new();
    public List<VerboseRecord> Verbose { get; } = new();
    public List<DebugRecord> Debug { get; } = new();
    public List<InformationRecord> Information { get; } = new();
    public List<ProgressRecord> Progress { get; } = new();
    public RuntimeException? Terminating { get; set; }

    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    /// <summary>The single error of a failed call; fails the test with what was captured otherwise.</summary>
    public ErrorRecord SingleError()
    {
        var all = Errors.ToList();
        if (Terminating?.ErrorRecord != null && !all.Contains(Terminating.ErrorRecord)) all.Add(Terminating.ErrorRecord);
        if (all.Count != 1) throw new Xunit.Sdk.XunitException($"Expected one error, got {all.Count}: {string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message))}");
        return all[0];
    }

    /// <summary>Fails the test with the captured errors when there are any.</summary>
    public PsRun AssertNoErrors()
    {
        if (Errors.Count > 0 || Terminating != null)
        {
            throw new Xunit.Sdk.XunitException("Unexpected errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message))
                + (Terminating != null ? " | terminating: " + Terminating.Message : string.Empty));
        }

        return this;
    }

    /// <summary>Everything a user could see: every stream, every output object's properties (recursively), every error's text.</summary>
    public string AllText()
    {
        var b = new StringBuilder();
        foreach (var o in Output) Dump(b, o.BaseObject, 0);
        foreach (var e in Errors.Concat(Terminating?.ErrorRecord is { } t ? new[] { t } : Array.Empty<ErrorRecord>()))
        {
            b.AppendLine(e.ToString()).AppendLine(e.FullyQualifiedErrorId).AppendLine(e.Exception.ToString()).AppendLine(e.ErrorDetails?.Message).AppendLine(e.ErrorDetails?.RecommendedAction)
                .AppendLine(e.CategoryInfo.ToString()).AppendLine(Convert.ToString(e.TargetObject));
        }

        foreach (var w in Warnings) b.AppendLine(w.Message);
        foreach (var v in Verbose) b.AppendLine(v.Message);
        foreach (var d in Debug) b.AppendLine(d.Message);
        foreach (var i in Information) b.AppendLine(Convert.ToString(i.MessageData));
        foreach (var p in Progress) b.AppendLine(p.Activity).AppendLine(p.StatusDescription).AppendLine(p.CurrentOperation);
        if (Terminating != null) b.AppendLine(Terminating.ToString());
        return b.ToString();
    }

    private static void Dump(StringBuilder b, object? value, int depth)
    {
        if (value is null || depth > 5) return;
        b.AppendLine(Convert.ToString(value));
        if (value is string || value.GetType().IsPrimitive || value is Enum) return;
        if (value is IEnumerable items)
        {
            foreach (var item in items) Dump(b, item, depth + 1);
            return;
        }

        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            b.Append(property.Name).Append('=');
            Dump(b, property.GetValue(value), depth + 1);
        }
    }
}
