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
}
