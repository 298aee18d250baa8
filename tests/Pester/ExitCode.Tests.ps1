# The contract for Ansible and CI: pwsh -NonInteractive -Command exits non-zero on failure and names
# the error id and the step in its last lines; success exits 0.
BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    $script:Site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster
    Add-TestCluster $Site -Sellers 3
}
AfterAll {
    Stop-TestCluster $Site
    Remove-TestSite $Site
}

Describe 'pwsh -NonInteractive -Command' {
    It 'exits 0 after a move' {
        $out = pwsh -NoProfile -NonInteractive -Command "Import-Module '$ManifestPath'; Start-DataMigration -To Cluster -Force -ShopwareRoot '$($Site.Root)' -ProfilePath '$($Site.ProfilePath)' | ConvertTo-Json -Depth 5" 2>&1
        $LASTEXITCODE | Should -Be 0
        ($out -join "`n" | ConvertFrom-Json).Count | Should -Be 10
    }
    It 'exits non-zero with the error id and the step in its last lines' {
        Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb 'ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL' | Out-Null
        $out = pwsh -NoProfile -NonInteractive -Command "Import-Module '$ManifestPath'; Start-DataMigration -To Shopware -Force -ShopwareRoot '$($Site.Root)' -ProfilePath '$($Site.ProfilePath)'" 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($out | Select-Object -Last 6 | Out-String) | Should -Match 'SchemaDrift'
        ($out | Select-Object -Last 6 | Out-String) | Should -Match 'Step 1 schema_check'
    }
}
