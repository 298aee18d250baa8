#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and stages the MarketplaceMigration module.
.DESCRIPTION
    Build   : dotnet build (stages the module in out/MarketplaceMigration/).
    Test    : dotnet test (engine and hosted-cmdlet tests on real servers), then Pester on the staged module in a fresh pwsh.
    Package : a Release build and a check that out/MarketplaceMigration/ loads and exports every cmdlet.
    Publish : a Release build, then Publish-PSResource of out/MarketplaceMigration/ to a folder repository in out/
              (out/MarketplaceMigration.<version>.nupkg), or to -Repository (a name registered with Register-PSResourceRepository).
    Clean   : removes out/, bin/ and obj/.
    Demo    : the README's demo (two throwaway MariaDB servers, the stand-in cluster, a move to the cluster and back).
    Machines without pwsh do the same work with plain dotnet (see README and .ci/run).
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    # Clean, Build, Test, Package, Demo. "Build,Package" typed in bash arrives as one string: it is split below.
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Publish: a repository registered with Register-PSResourceRepository; default: the folder out/ itself.
    [string] $Repository
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$stage = Join-Path $root 'out/MarketplaceMigration'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

$Task = @($Task | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$known = 'Clean', 'Build', 'Test', 'Package', 'Publish', 'Demo'
foreach ($t in $Task) {
    if ($t -notin $known) { throw "Unknown task '$t': use one or more of $($known -join ', ') (for example -Task Build,Package)." }
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' {
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
            Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj |
                Remove-Item -Recurse -Force
        }
        'Build' {
            Invoke-Dotnet build (Join-Path $root 'MarketplaceMigration.sln') -c $Configuration
        }
        'Test' {
            Invoke-Dotnet test (Join-Path $root 'MarketplaceMigration.sln') -c $Configuration
            if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0') {
                $pester = "Import-Module Pester -MinimumVersion 5.0.0; " +
                    "`$c = New-PesterConfiguration; `$c.Run.Path = '$root/tests/Pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; " +
                    "Invoke-Pester -Configuration `$c"
                & pwsh -NoProfile -NonInteractive -Command $pester
                if ($LASTEXITCODE -ne 0) { throw "Pester failed ($LASTEXITCODE)" }
            }
            else {
                Write-Warning 'Pester 5 is not installed: tests/Pester was not run (Install-Module Pester -MinimumVersion 5.0.0).'
            }
        }
        'Demo' {
            Invoke-Dotnet build (Join-Path $root 'tools/MarketplaceMigration.Host') -c Release
            & dotnet (Join-Path $root 'tools/MarketplaceMigration.Host/bin/Release/net10.0/mmhost.dll') demo
            if ($LASTEXITCODE -ne 0) { throw "The demo failed ($LASTEXITCODE)." }
        }
        'Publish' {
            Invoke-Dotnet build (Join-Path $root 'MarketplaceMigration.sln') -c Release
            $target = $Repository
            if (-not $target) {
                # out/ as a folder repository of its own (the Release build already wrote the same package there).
                $target = 'MarketplaceMigration-out-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
                Register-PSResourceRepository -Name $target -Uri (Join-Path $root 'out') -Trusted
            }
            try {
                $nupkg = Get-ChildItem (Join-Path $root 'out') -Filter 'MarketplaceMigration.*.nupkg' -ErrorAction SilentlyContinue
                if (-not $Repository) { $nupkg | Remove-Item -Force }
                Publish-PSResource -Path $stage -Repository $target -ErrorAction Stop
            }
            finally {
                if (-not $Repository) { Unregister-PSResourceRepository -Name $target }
            }
            Write-Output "Published $stage to $(if ($Repository) { $Repository } else { Join-Path $root 'out' })"
        }
        'Package' {
            Invoke-Dotnet build (Join-Path $root 'MarketplaceMigration.sln') -c Release
            $manifest = Test-ModuleManifest (Join-Path $stage 'MarketplaceMigration.psd1')
            & pwsh -NoProfile -NonInteractive -Command "Import-Module '$stage/MarketplaceMigration.psd1' -ErrorAction Stop; (Get-Module MarketplaceMigration).ExportedCmdlets.Count"
            if ($LASTEXITCODE -ne 0) { throw "The staged module does not load." }
            Write-Output "Staged $($manifest.Name) $($manifest.Version) in $stage"
        }
    }
}
