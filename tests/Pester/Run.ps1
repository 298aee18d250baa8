#!/usr/bin/env pwsh
# Runs every Pester test in real pwsh against the staged module (out/MarketplaceMigration), then stops the
# throwaway servers the tests started, and prints "PESTER <passed> <failed>" last (.ci/run counts it).
#   pwsh -NoProfile -NonInteractive -File tests/Pester/Run.ps1
param([string] $Path = $PSScriptRoot, [string] $Verbosity = 'Detailed')
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0.0
. (Join-Path $PSScriptRoot 'TestRig.ps1')
$result = $null
try {
    $c = New-PesterConfiguration
    $c.Run.Path = $Path; $c.Run.PassThru = $true; $c.Output.Verbosity = $Verbosity
    $result = Invoke-Pester -Configuration $c
}
finally {
    Stop-TestRig
}
"PESTER {0} {1}" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
