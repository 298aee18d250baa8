# The PowerShell conventions, in real pwsh on real servers: per-item errors that go on, each
# -ErrorAction value, -Force that skips only the question, prompts by impact (answered by a child
# pwsh reading its prompts from stdin), a declined prompt that is not a failure, -WhatIf, the views
# at 80 columns and JSON for jq.
BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
    $script:Cmd = 'MarketplaceMigration.PowerShell.Cmdlets'

    # A child pwsh that imports the module and runs $Script; $Answers are typed at its prompts.
    function Invoke-Child([string] $Script, [string[]] $Answers = @(), [switch] $NonInteractive) {
        $file = Join-Path ([IO.Path]::GetTempPath()) "mm-pester-child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $file -Value "Import-Module '$ManifestPath'`n$Script"
        try {
            $arguments = @('-NoProfile') + $(if ($NonInteractive) { @('-NonInteractive') } else { @() }) + @('-File', $file)
            $text = ($Answers -join "`n") + "`n" | & pwsh @arguments 2>&1 | Out-String
            [pscustomobject]@{ Text = $text; ExitCode = $LASTEXITCODE }
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }
    function Get-Gate([hashtable] $Site) {
        [string](Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb "SELECT configuration_value FROM system_config WHERE configuration_key = 'FlyokaiMarketplaceRemote.config.maintenance'")
    }
}

Describe 'per-item errors and -ErrorAction' {
    BeforeAll {
        $script:Site = New-ClusterSite -Sellers 4
        $script:C = @{ ShopwareRoot = $Site.Root; ProfilePath = $Site.ProfilePath }
        Start-DataMigration -To Cluster @C -Force | Out-Null
        $script:TableCount = (Get-MigrationProfile @C).Tables.Count
        # One table drifted (a column only on the cluster, where the data lives), one row changed in another.
        Invoke-TestSql $Site.Rig.Cluster $Site.ClusterDb 'ALTER TABLE flyokai_seller_group ADD COLUMN drift INT NULL' | Out-Null
        Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb "UPDATE flyokai_seller SET status = 'changed' ORDER BY id LIMIT 1" | Out-Null
    }
    AfterAll { Remove-ClusterSite $Site }

    It 'writes one non-terminating error for the drifted table and verifies every other one' {
        $results = @(Test-DataIntegrity @C -ErrorVariable drift -ErrorAction SilentlyContinue)
        $results.Count | Should -Be ($TableCount - 1)
        $results.Table | Should -Not -Contain 'flyokai_seller_group'
        $drift.Count | Should -Be 1
        $drift[0].FullyQualifiedErrorId | Should -Be "SchemaDrift,$Cmd.TestDataIntegrityCommand"
        $drift[0].TargetObject | Should -Match 'flyokai_seller_group'
        @($results | Where-Object { -not $_.Equal }).Table | Should -Be 'flyokai_seller'
    }
    It 'still pipes the unequal tables into Compare-DataPlane' {
        $rows = @(Test-DataIntegrity @C -ErrorAction SilentlyContinue | Where-Object { -not $_.Equal } | Compare-DataPlane @C)
        $rows.Count | Should -Be 1
        $rows[0].Table | Should -Be 'flyokai_seller'
        "$($rows[0].Kind)" | Should -Be 'Different'
    }
    It 'sets $? to false after a per-item error, and Continue shows it and goes on' {
        $ErrorActionPreference = 'Continue'   # tests/Pester/Run.ps1 runs under Stop
        $out = @(Test-DataIntegrity @C 2>&1)
        $ok = $?
        $ok | Should -BeFalse
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
        @($out | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).Count | Should -Be ($TableCount - 1)
    }
    It 'leaves no trace with Ignore, and stops the script with Stop' {
        $Error.Clear()
        @(Test-DataIntegrity @C -ErrorAction Ignore).Count | Should -Be ($TableCount - 1)
        $Error.Count | Should -Be 0
        { Test-DataIntegrity @C -ErrorAction Stop } | Should -Throw -ErrorId "SchemaDrift,$Cmd.TestDataIntegrityCommand"
        $caught = try { Test-DataIntegrity @C -ErrorAction Stop | Out-Null; 'not reached' } catch { $_.FullyQualifiedErrorId }
        $caught | Should -Be "SchemaDrift,$Cmd.TestDataIntegrityCommand"
    }
    It 'keeps a failure that ends the command terminating: try/catch, $?, -ErrorVariable, and Stop' {
        $missing = Join-Path $Site.Root 'no-such-profile.json'
        $caught = try { Test-DataIntegrity -ShopwareRoot $Site.Root -ProfilePath $missing -ErrorAction SilentlyContinue; 'not reached' } catch { 'caught ' + $_.CategoryInfo.Category }
        $caught | Should -Be 'caught ObjectNotFound'
        # Outside a try (in a script of its own): the statement ends, $? is false, the script goes on; under Stop it does not.
        $child = Invoke-Child "Test-DataIntegrity -ShopwareRoot '$($Site.Root)' -ProfilePath '$missing' -ErrorVariable gone 2>`$null; ""ok=`$? n=`$(`$gone.Count)""; 'next'"
        $child.Text | Should -Match 'ok=False n=1'
        $child.Text | Should -Match 'next'
        $stop = Invoke-Child "`$ErrorActionPreference = 'Stop'; Test-DataIntegrity -ShopwareRoot '$($Site.Root)' -ProfilePath '$missing'; 'not reached'"
        $stop.Text | Should -Not -Match 'not reached'
        $stop.ExitCode | Should -Not -Be 0
    }
    It 'writes enum values as names with ConvertTo-Json -EnumsAsStrings, for jq and Ansible' {
        $state = Get-MigrationState @C | ConvertTo-Json -Depth 4 -EnumsAsStrings | ConvertFrom-Json
        $state.Status | Should -Be 'Completed'
        $state.Direction | Should -Be 'ToCluster'
        $state.Steps[0].Status | Should -Be 'Succeeded'
    }
    It 'lists the steps and tables of Get-MigrationState | Format-List as text' {
        $text = Get-MigrationState @C | Format-List | Out-String -Width 200
        $text | Should -Match 'Steps\s+: \{1 schema_check: Succeeded'
        $text | Should -Match 'Tables\s+: \{flyokai_\w+ \d+/\d+ rows'
        $text | Should -Not -Match 'MarketplaceMigration\.Engine'
    }
    It 'shows Passed for Test-MarketplaceCluster, as the README uses it' {
        (Test-MarketplaceCluster @C).Passed | Should -BeTrue
    }
}

Describe '-Force skips the question, never a check' {
    BeforeAll {
        $script:Site = New-ClusterSite -Sellers 3
        $script:C = @{ ShopwareRoot = $Site.Root; ProfilePath = $Site.ProfilePath }
    }
    AfterAll { Remove-ClusterSite $Site }

    It 'Copy-DataPlane -Force still needs the gate; -AllowLiveSource is the switch for a rehearsal' {
        { Copy-DataPlane -To Cluster @C -Force -ErrorAction Stop } | Should -Throw -ErrorId "GateNotSet,$Cmd.CopyDataPlaneCommand"
        @(Copy-DataPlane -To Cluster @C -AllowLiveSource -Force).Count | Should -BeGreaterThan 0
    }
    It 'Copy-DataPlane never writes into the live end, whatever the switches' {
        { Copy-DataPlane -To Shopware @C -AllowLiveSource -Force -ErrorAction Stop } | Should -Throw -ErrorId "TargetIsLive,$Cmd.CopyDataPlaneCommand"
    }
    It 'Set-DataLocation -Force still verifies; -SkipVerification is the switch that does not' {
        Invoke-TestSql $Site.Rig.Cluster $Site.ClusterDb 'SET foreign_key_checks = 0; DELETE FROM flyokai_seller ORDER BY id LIMIT 1' | Out-Null
        { Set-DataLocation -To Cluster @C -Force -ErrorAction Stop } | Should -Throw -ErrorId "DataNotVerified,$Cmd.SetDataLocationCommand"
        (Get-DataLocation @C).Location | Should -Be 'shopware'
        Set-DataLocation -To Cluster @C -SkipVerification -Force
        (Get-DataLocation @C).Location | Should -Be 'cluster'
        Set-DataLocation -To Shopware @C -SkipVerification -Force
    }
    It 'Clear-MaintenanceGate -Force still refuses over an unfinished run; -IgnoreUnfinishedRun is the switch' {
        Set-TestConfig $Site 'clusterRestartCommand' 'echo cannot restart now >&2; exit 3'
        try { Start-DataMigration -To Cluster @C -Force | Out-Null } catch { $_.FullyQualifiedErrorId | Should -Match '^RestartCommandFailed' }
        Get-Gate $Site | Should -Match 'true'
        { Clear-MaintenanceGate @C -Force -ErrorAction Stop } | Should -Throw -ErrorId "GateHeldByRun,$Cmd.ClearMaintenanceGateCommand"
        Clear-MaintenanceGate @C -IgnoreUnfinishedRun -Force
        Get-Gate $Site | Should -Not -Match 'true'
    }
}

Describe 'prompts by impact' {
    BeforeAll {
        $script:Site = New-ClusterSite -Sellers 3
        $script:P = "-ShopwareRoot '$($Site.Root)' -ProfilePath '$($Site.ProfilePath)'"
    }
    AfterAll { Remove-ClusterSite $Site }

    It 'asks before <Command> at the default $ConfirmPreference, and No changes nothing' -ForEach @(
        @{ Command = 'Set-MaintenanceGate' }
        @{ Command = 'Restart-MarketplaceCluster' }
        @{ Command = 'Invoke-SchemaMigration -Destructive' }
    ) {
        $child = Invoke-Child "$Command $P; 'ended'" -Answers 'N'
        $child.Text | Should -Match '\[Y\] Yes'
        $child.Text | Should -Match 'ended'
        Get-Gate $Site | Should -Not -Match 'true'
    }
    It 'fails <Command> in pwsh -NonInteractive with an error that says to add -Force' -ForEach @(
        @{ Command = 'Set-MaintenanceGate' }
        @{ Command = 'Restart-MarketplaceCluster' }
        @{ Command = 'Start-DataMigration -To Cluster' }
    ) {
        $child = Invoke-Child "try { $Command $P } catch { 'caught ' + `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message }; 'ended'" -NonInteractive
        $child.Text | Should -Match 'caught ConfirmationNeeded,.*asks for confirmation, and this session cannot ask .* Add -Force to go ahead'
        $child.Text | Should -Match 'ended'
        $child.Text | Should -Not -Match '\[Y\] Yes'
        Get-Gate $Site | Should -Not -Match 'true'
    }
    It 'says with -WhatIf where the real run would refuse, and changes nothing' {
        Set-TestConfig $Site 'clusterRestartCommand' 'no-such-restart-command --now'
        try {
            $warnings = @()
            $plan = Start-DataMigration -To Cluster -ShopwareRoot $Site.Root -ProfilePath $Site.ProfilePath -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue 6>&1 | Out-String
            ($warnings -join "`n") | Should -Match '^Would refuse \(RestartCommandFailed\): .*no-such-restart-command'
            Get-Gate $Site | Should -Not -Match 'true'
            Test-Path (Join-Path $Site.Root 'var/marketplace/migration.state') | Should -BeFalse
        }
        finally { Set-TestConfig $Site 'clusterRestartCommand' $Site.RestartCommand }
    }
    It 'does not ask Set-MaintenanceGate -Force, and sets the gate' {
        $child = Invoke-Child "Set-MaintenanceGate $P -Force; Clear-MaintenanceGate $P -Force; 'ended'" -NonInteractive
        $child.Text | Should -Match 'ended'
        $child.Text | Should -Not -Match '\[Y\] Yes'
    }
    It 'records a step declined under -Confirm as stopped by the operator, not failed, and touches no gate' {
        $child = Invoke-Child "Start-DataMigration -To Cluster $P -Force -Confirm; 'ended'" -Answers 'Y', 'N'
        $child.Text | Should -Match 'at your request'
        $state = Get-MigrationState -ShopwareRoot $Site.Root -ProfilePath $Site.ProfilePath
        "$($state.Status)" | Should -Be 'Stopped'
        $state.NextStep | Should -Match 'set_maintenance'
        Get-Gate $Site | Should -Not -Match 'true'
        $rerun = @(Start-DataMigration -To Cluster -ShopwareRoot $Site.Root -ProfilePath $Site.ProfilePath -Force)
        "$($rerun[-1].Status)" | Should -Be 'Succeeded'
        "$((Get-MigrationState -ShopwareRoot $Site.Root -ProfilePath $Site.ProfilePath).Status)" | Should -Be 'Completed'
    }
}

Describe 'completion' {
    It 'completes Invoke-SchemaMigration -Until with the migration versions of -Source' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "mm-pester-migrations-$([guid]::NewGuid().ToString('N'))"
        try {
            New-Item -ItemType Directory -Path $dir | Out-Null
            Set-Content (Join-Path $dir 'Migration20260101000000AddIndex.sql') "-- @update`nSELECT 1;"
            Set-Content (Join-Path $dir 'Migration20260202000000DropColumn.sql') "-- @update`nSELECT 1;"
            $line = "Invoke-SchemaMigration -Source '$dir' -Until 2026"
            $found = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $found.CompletionText | Should -Be @('20260101000000', '20260202000000')
            $found[0].ListItemText | Should -Match 'AddIndex'
        }
        finally { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $dir }
    }
}

Describe 'views at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }, @{ Width = 160 }) {
    It 'cuts no step number, step name or table name' {
        $child = Invoke-Child (@'
$s = [MarketplaceMigration.Engine.State.StepState]::new()
$s.Number = 10; $s.Name = 'flip_data_location'; $s.Status = 'Succeeded'; $s.DurationSeconds = 1.23456
$s.Summary = 'Both selectors point at the cluster: the cluster file and Shopware system_config, journaled, and a long tail of words that goes on past any width a terminal has, so that the view must wrap it rather than cut it.'
$first = [MarketplaceMigration.Engine.State.StepState]::new(); $first.Number = 1; $first.Name = 'schema_check'; $first.Status = 'Succeeded'
$steps = [MarketplaceMigration.Engine.Steps.StepResult]::new('r', 'ToCluster', $first, $true), [MarketplaceMigration.Engine.Steps.StepResult]::new('r', 'ToCluster', $s, $true)
$tables = [MarketplaceMigration.Engine.Copy.TableCopyResult]::new('flyokai_shipping_profile_service_carrier', 1234567, 12, 3.21, 384600, 'a', 'b')
$steps | Out-String -Width WIDTH
$tables | Out-String -Width WIDTH
'@).Replace('WIDTH', "$Width")
        $child.Text | Should -Match '(?m)^10 flip_data_location Succeeded\s+1\.2 Both selectors'
        $child.Text | Should -Match 'flyokai_shipping_profile_service_carrier\s+1234567'
        $child.Text | Should -Match 'cut it\.'
        $child.Text | Should -Not -Match '…'
        ($child.Text -split "`n" | Where-Object { $_.TrimEnd().Length -gt $Width }) | Should -BeNullOrEmpty
    }
}
