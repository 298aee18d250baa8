BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
    $script:Cmdlet = 'MarketplaceMigration.PowerShell.Cmdlets.StartDataMigrationCommand'
}

Describe 'Start-DataMigration end to end' {
    BeforeEach {
        $script:Site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster
        Add-TestCluster $Site -Sellers 7
        $script:Common = @{ ShopwareRoot = $Site.Root; ProfilePath = $Site.ProfilePath }
    }
    AfterEach {
        Stop-TestCluster $Site
        Remove-TestSite $Site
    }

    It 'moves the data plane to the cluster and back, every step succeeding' {
        $toCluster = @(Start-DataMigration -To Cluster @Common -Force)
        $toCluster.Count | Should -Be 10
        $toCluster | Where-Object { "$($_.Status)" -eq 'Failed' } | Should -BeNullOrEmpty
        $toCluster[7].Details['Sellers'] | Should -Be '7'
        (Get-DataLocation @Common).Location | Should -Be 'cluster'
        (Get-MaintenanceGate @Common).Set | Should -BeFalse
        @(Test-DataIntegrity @Common | Where-Object { -not $_.Equal }) | Should -HaveCount 0

        $toShopware = @(Start-DataMigration -To Shopware @Common -Force)
        $toShopware | Where-Object { "$($_.Status)" -eq 'Failed' } | Should -BeNullOrEmpty
        (Get-DataLocation @Common).Location | Should -Be 'shopware'
        "$((Get-MigrationState @Common).Status)" | Should -Be 'Completed'
        ($toShopware | Format-Table | Out-String) | Should -Match 'clear_maintenance'
        ($toShopware | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Count | Should -Be 10
    }

    It 'stops at a failing step with its error id, keeps the gate set, and resumes there' {
        Set-TestConfig $Site 'clusterRestartCommand' 'echo cannot restart now >&2; exit 3'
        { Start-DataMigration -To Cluster @Common -Force -ErrorAction Stop } | Should -Throw -ErrorId "RestartCommandFailed,$Cmdlet"
        (Get-MaintenanceGate @Common).Set | Should -BeTrue
        (Get-MigrationState @Common).NextStep | Should -Be '7 restart_cluster'

        Set-TestConfig $Site 'clusterRestartCommand' $Site.RestartCommand
        $rerun = @(Start-DataMigration -To Cluster @Common -Force)
        @($rerun | Where-Object Executed).Number | Should -Be @(7, 8, 9, 10)
        $rerun[6].Attempts | Should -Be 2
        (Get-MaintenanceGate @Common).Set | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-Content -Raw $Site.ClusterConfigPath
        Start-DataMigration -To Cluster @Common -WhatIf | Should -BeNullOrEmpty
        Get-Content -Raw $Site.ClusterConfigPath | Should -Be $before
        (Get-DataLocation @Common).Location | Should -Be 'shopware'
        Test-Path (Join-Path $Site.Root 'var/marketplace') | Should -BeFalse
    }
}
