using System.Management.Automation;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.Engine.Verify;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Moves the marketplace data plane to the cluster or back in resumable steps behind the maintenance gate
/// (ten offline; with -Online the copy runs while the shop takes writes).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DataMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StepResult))]
public sealed class StartDataMigrationCommand : ProfileCmdletBase
{
    /// <summary>Where the data goes: Cluster or Shopware.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(DataLocations.ClusterParameter, DataLocations.ShopwareParameter)]
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

    /// <summary>
    /// Copy while the shop keeps taking writes: changes are captured by triggers on the source and
    /// replayed, every row is verified while live, and the gate is set only for the final replay, the
    /// verification of what changed since, and the cutover (seconds, whatever the size of the data).
    /// Needs TRIGGER on the source's data plane. How it works and what it refuses: docs/online.md in the repository.
    /// </summary>
    [Parameter]
    public SwitchParameter Online { get; set; }

    /// <summary>With -Online: once caught up and verified, keep replaying and re-verifying until Approve-DataMigrationCutover
    /// (from any process) says go.</summary>
    [Parameter]
    public SwitchParameter PauseBeforeCutover { get; set; }

    /// <summary>With -Online: runs under the gate after the final verification and before the flip; if it throws, nothing is
    /// flipped and the rerun runs it again.</summary>
    [Parameter]
    public ScriptBlock? CutoverHook { get; set; }

    /// <inheritdoc />
    protected override int ProgressParentId => 1;

    /// <summary>Runs or resumes the move.</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var options = new RunOptions
        {
            Direction = DataLocations.Toward(DataLocations.FromParameter(To)),
            DropSource = DropSource,
            Verification = Verification,
            DumpPath = DumpPath is null ? null : GetUnresolvedProviderPathFromPSPath(DumpPath),
            Online = Online,
            PauseBeforeCutover = PauseBeforeCutover,
        };
        if ((PauseBeforeCutover || CutoverHook != null) && !Online)
        {
            ThrowTerminatingError(
                new ErrorRecord(
                    new PSArgumentException(
                        "-PauseBeforeCutover and -CutoverHook belong to an online move: add -Online, or leave them out."
                    ),
                    "OnlineParameterWithoutOnline",
                    ErrorCategory.InvalidArgument,
                    null
                )
            );
        }

        if (WhatIfActive)
        {
            var (plan, refusal) = RunEngine(
                async (observer, ct) =>
                    await MigrationRunner
                        .PlanWithRefusalAsync(
                            await ProfileResolver.ResolveAsync(request, observer, ct).ConfigureAwait(false),
                            options,
                            observer,
                            ct
                        )
                        .ConfigureAwait(false)
            );
            // The same read-only checks as the real run: where it would refuse, say so (and what fixes it).
            if (refusal != null)
                WriteWarning($"Would refuse ({refusal.ErrorId}): {refusal.Message}");
            foreach (var step in plan)
                ShouldProcess($"{step.Direction}", $"Step {step.Number} {step.Step}: {step.Summary}");
            return;
        }

        if (
            !Force
            && !Prompt(() =>
                ShouldContinue(
                    $"Move the marketplace data plane to {To}? Writes are blocked by the maintenance gate until the move ends.",
                    "Start-DataMigration"
                )
            )
        )
        {
            return;
        }

        var activity = $"Start-DataMigration -To {To}";
        var steps = MigrationRunner.StepsFor(options).Count;
        WriteProgress(new ProgressRecord(1, activity, "Reading the settings and the run's state") { PercentComplete = 0 });
        RunEngineWithDispatcher(
            async (dispatcher, ct) =>
            {
                var resolved = await ProfileResolver.ResolveAsync(request, dispatcher.Observer, ct).ConfigureAwait(false);
                // The hook is a scriptblock: it runs on the pipeline thread, the engine waits for it.
                var hook = CutoverHook is null
                    ? null
                    : dispatcher.Ask(
                        (_, _) =>
                        {
                            CutoverHook.Invoke();
                            return true;
                        }
                    );
                await MigrationRunner
                    .RunAsync(
                        resolved,
                        options,
                        dispatcher.Observer,
                        dispatcher.Ask(
                            (target, action) =>
                            {
                                // Asked before each step runs: the progress names the step now running, not the last one done.
                                var number = int.TryParse(action.Split(' ')[1], out var n) ? n : 1;
                                WriteProgress(
                                    new ProgressRecord(1, activity, action.Split(':')[0])
                                    {
                                        PercentComplete = System.Math.Min(99, (number - 1) * 100 / steps),
                                    }
                                );
                                return ShouldProcess(target, action);
                            }
                        ),
                        dispatcher.Ask((target, action) => Force || Prompt(() => ShouldContinue(action + "?", target))),
                        result => dispatcher.Post(() => WriteObject(result)),
                        hook is null
                            ? null
                            : _ =>
                            {
                                hook("CutoverHook", "run the cutover hook");
                                return System.Threading.Tasks.Task.CompletedTask;
                            },
                        ct
                    )
                    .ConfigureAwait(false);
                return true;
            }
        );
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
