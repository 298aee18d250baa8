BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
}

Describe 'Test-SchemaParity' {
    BeforeEach { $script:Site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster }
    AfterEach { Remove-TestSite $script:Site }

    It 'reports nothing for identical data planes and -Quiet is $true' {
        Test-SchemaParity -ShopwareRoot $Site.Root | Should -BeNullOrEmpty
        Test-SchemaParity -ShopwareRoot $Site.Root -Quiet | Should -BeTrue
    }

    It 'reports drift as objects that render and serialise, and -Quiet is $false' {
        Invoke-TestSql $Site.Rig.Cluster $Site.ClusterDb 'ALTER TABLE flyokai_payout MODIFY amount DECIMAL(14,4) NOT NULL' | Out-Null

        $differences = @(Get-MigrationProfile -ShopwareRoot $Site.Root | Test-SchemaParity)

        $differences.Count | Should -Be 1
        $differences[0].Table | Should -Be 'flyokai_payout'
        $differences[0].Element | Should -Be 'amount'
        $differences[0].Aspect | Should -Be 'Precision'
        "$($differences[0].Severity)" | Should -Be 'Error'
        ($differences | Format-Table | Out-String) | Should -Match 'Precision'
        ($differences | ConvertTo-Json -Depth 5 | ConvertFrom-Json).ShopwareValue | Should -Be '12'
        Test-SchemaParity -ShopwareRoot $Site.Root -Quiet | Should -BeFalse
    }
}
