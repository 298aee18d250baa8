using System.Management.Automation;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.PowerShell.Internal;

namespace MarketplaceMigration.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows where the current or last data migration run stands: each step, timings, errors and copy progress.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MigrationState")]
[OutputType(typeof(MigrationRunState))]
public sealed class GetMigrationStateCommand : ProfileCmdletBase
{
    /// <summary>Reads the state file (no database connection is needed).</summary>
    protected override void ProcessRecord()
    {
        var request = BuildRequest(verifyTables: false);
        var state = RunEngine(
            (observer, ct) => System.Threading.Tasks.Task.FromResult(StateQuery.Load(ProfileResolver.LocateStateDirectory(request)))
        );
        if (state is null)
        {
            WriteVerbose("No migration run is recorded.");
            return;
        }

        WriteObject(state);
    }
}
