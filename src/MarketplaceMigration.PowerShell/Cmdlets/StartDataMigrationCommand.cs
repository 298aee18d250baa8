using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Moves the marketplace data plane to the cluster or back in ten resumable steps behind the maintenance gate.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DataMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StepResult))]
public sealed class StartDataMigrationCommand : ProfileCmdletBase
{
    /// <summary>Where the data goes: Cluster or Shopware.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(Directions.Cluster, Directions.Shopware)]
    public string To { get; set; } = string.Empty;

    /// <summary>Empty the source tables after a verified, smoke-tested move.</summary>
    [Parameter]
    public SwitchParameter DropSource { get; set; }

    /// <summary>Skip the confirmation prompt (the seed's -y). It never skips a check.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Full (every row, default) or Sample (8 random rows per table) verification in step 5.</summary>
    [Parameter]
    public VerificationMode Verification { get; set; } = VerificationMode.Full;

    /// <summary>Also write the data plane to this file as SQL the mysql client can load.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DumpPath { get; set; }

    /// <inheritdoc />
    protected override int ProgressParentId => 1;

    /// <summary>Runs or resumes the move.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var options = new RunOptions
        {
            Direction = Directions.To(To),
            DropSource = DropSource,
            Verification = Verification,
            DumpPath = DumpPath is null ? null : GetUnresolvedProviderPathFromPSPath(DumpPath),
        };

        if (WhatIfActive)
        {
            var plan = RunEngine(async (observer, ct) => await MigrationRunner.PlanAsync(await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false), options, observer, ct).ConfigureAwait(false));
            foreach (var step in plan) ShouldProcess($"{step.Direction}", $"Step {step.Number} {step.Step}: {step.Summary}");
            return;
        }

        if (!Force && !ShouldContinue($"Move the marketplace data plane to {To}? Writes are blocked by the maintenance gate until the move ends.", "Start-DataMigration"))
        {
            return;
        }

        RunEngineWithDispatcher(async (dispatcher, ct) =>
        {
            var resolved = await ProfileResolver.ResolveAsync(request, dispatcher.Observer, ct).ConfigureAwait(false);
            await MigrationRunner.RunAsync(resolved, options, dispatcher.Observer,
                dispatcher.Ask(ShouldProcess),
                dispatcher.Ask((target, action) => Force || ShouldContinue(action + "?", target)),
                result => dispatcher.Post(() =>
                {
                    WriteProgress(new ProgressRecord(1, $"Start-DataMigration -To {To}", $"Step {result.Number} {result.Step}: {result.Status}") { PercentComplete = result.Number * 10 });
                    WriteObject(result);
                }),
                ct).ConfigureAwait(false);
            return true;
        });
        WriteProgress(new ProgressRecord(1, $"Start-DataMigration -To {To}", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
