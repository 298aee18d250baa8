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
}
