BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
}

Describe 'MarketplaceMigration module' {
    It 'has a valid manifest stamped with a version' {
        $manifest = Test-ModuleManifest $ManifestPath
        $manifest.Version | Should -Not -BeNullOrEmpty
        Get-Content -Raw $ManifestPath | Should -Not -Match '\{\{'
    }

    It 'exports exactly the compiled cmdlets' {
        $assembly = [MarketplaceMigration.PowerShell.Cmdlets.GetMigrationProfileCommand].Assembly
        $compiled = $assembly.GetTypes() | ForEach-Object {
            $a = [System.Reflection.CustomAttributeExtensions]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute])
            if ($a) { "$($a.VerbName)-$($a.NounName)" }
        }
        (Get-Module MarketplaceMigration).ExportedCmdlets.Keys | Sort-Object | Should -Be ($compiled | Sort-Object)
    }

    It 'renders a schema difference with its table view and as JSON' {
        $d = [MarketplaceMigration.Engine.Schema.SchemaDifference]::new('flyokai_payout', 'Column', 'amount', 'Precision', '12', '14', 'Error', 'Column flyokai_payout.amount: Precision differs.')
        $text = $d | Format-Table | Out-String
        $text | Should -Match 'Severity'
        $text | Should -Match 'flyokai_payout'
        $text | Should -Match 'Column amount'
        ($d | ConvertTo-Json -Depth 5 | ConvertFrom-Json).ClusterValue | Should -Be '14'
    }

    It 'installs by copying the staged folder onto a module path, and imports by name in a fresh pwsh (README, Install)' {
        $modules = Join-Path ([IO.Path]::GetTempPath()) "mm-pester-modules-$([guid]::NewGuid().ToString('N'))"
        try {
            New-Item -ItemType Directory -Path $modules | Out-Null
            Copy-Item -Recurse -Path $Stage -Destination (Join-Path $modules 'MarketplaceMigration')
            $script = "`$env:PSModulePath = '$modules'; Import-Module MarketplaceMigration -ErrorAction Stop; (Get-Module MarketplaceMigration).ModuleBase; (Get-Command -Module MarketplaceMigration).Count"
            $out = @(pwsh -NoProfile -NonInteractive -Command $script 2>&1)
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            $out[0] | Should -Be (Join-Path $modules 'MarketplaceMigration')
            [int]$out[1] | Should -Be (Get-Module MarketplaceMigration).ExportedCmdlets.Count
        }
        finally { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $modules }
    }

    It 'publishes with Publish-PSResource, installs with Install-PSResource, and imports by name in a fresh pwsh (README, Install)' {
        # A HOME of its own: repositories and current-user installs live under it.
        $testHome = Join-Path ([IO.Path]::GetTempPath()) "mm-pester-home-$([guid]::NewGuid().ToString('N'))"
        $feed = Join-Path $testHome 'feed'
        try {
            New-Item -ItemType Directory -Path $feed -Force | Out-Null
            $script = @(
                "`$ErrorActionPreference = 'Stop'"
                "Register-PSResourceRepository -Name mmfeed -Uri '$feed' -Trusted"
                "Publish-PSResource -Path '$Stage' -Repository mmfeed"
                "Install-PSResource MarketplaceMigration -Repository mmfeed"
                # The package the Release build wrote beside the staged folder installs the same way.
                "Register-PSResourceRepository -Name mmout -Uri '$(Split-Path $Stage)' -Trusted"
                "Find-PSResource MarketplaceMigration -Repository mmout | ForEach-Object { 'OUT=' + `$_.Version }"
            ) -join '; '
            $realHome = $env:HOME
            try {
                $env:HOME = $testHome
                $published = @(pwsh -NoProfile -NonInteractive -Command $script 2>&1)
                $LASTEXITCODE | Should -Be 0 -Because ($published -join "`n")
                $imported = @(pwsh -NoProfile -NonInteractive -Command 'Import-Module MarketplaceMigration -ErrorAction Stop; (Get-Module MarketplaceMigration).ModuleBase; (Get-Command -Module MarketplaceMigration).Count' 2>&1)
                $LASTEXITCODE | Should -Be 0 -Because ($imported -join "`n")
            }
            finally { $env:HOME = $realHome }
            Get-ChildItem $feed -Filter 'MarketplaceMigration.*.nupkg' | Should -HaveCount 1
            $version = (Import-PowerShellDataFile (Join-Path $Stage 'MarketplaceMigration.psd1')).ModuleVersion
            ($published -match '^OUT=') | Should -Be "OUT=$version"
            $imported[0] | Should -BeLike "$testHome/*MarketplaceMigration*"
            [int]$imported[1] | Should -Be (Get-Module MarketplaceMigration).ExportedCmdlets.Count
        }
        finally { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $testHome }
    }
}
