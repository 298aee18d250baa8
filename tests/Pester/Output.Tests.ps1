# Every output type renders through its view (Format-Table | Out-String) and survives ConvertTo-Json
# -Depth 5 without secrets, on real servers.
BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
    $script:Site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster
    Add-TestCluster $Site -Sellers 4
    $c = @{ ShopwareRoot = $Site.Root; ProfilePath = $Site.ProfilePath }
    $script:Objects = @(
        Get-MigrationProfile @c
        Get-MaintenanceGate @c
        Get-DataLocation @c
        Start-DataMigration -To Cluster @c -Force
        Get-MigrationState @c
        Test-DataIntegrity @c
        Test-MarketplaceCluster @c
        Set-MaintenanceGate @c -PassThru -Confirm:$false
        Copy-DataPlane -To Shopware @c -Confirm:$false
        Restart-MarketplaceCluster @c -Confirm:$false
        Clear-MaintenanceGate @c -PassThru -Confirm:$false
    )
    Invoke-TestSql $Site.Rig.Cluster $Site.ClusterDb "UPDATE flyokai_seller SET status = 'changed' LIMIT 1" | Out-Null
    Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb 'ALTER TABLE flyokai_seller_group MODIFY name VARCHAR(100) NOT NULL' | Out-Null
    $migrations = Join-Path $Site.Root 'migrations'
    New-Item -ItemType Directory $migrations | Out-Null
    Set-Content (Join-Path $migrations 'Migration20260101000000Noop.sql') "-- @update`nSELECT 1;"
    $script:Objects += @(
        Test-SchemaParity @c -Table flyokai_seller_group
        Compare-DataPlane @c -Table flyokai_seller
        Invoke-SchemaMigration @c -Source $migrations -Confirm:$false
        Get-SchemaMigration @c -Source $migrations
    )
    $script:Secrets = $Site.Secrets
}
AfterAll {
    Stop-TestCluster $Site
    Remove-TestSite $Site
}

Describe 'output objects' {
    It 'covers every output type of the module' {
        ($Objects | ForEach-Object { $_.GetType().Name } | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 13
    }
    It 'renders every type with Format-Table' {
        foreach ($group in $Objects | Group-Object { $_.GetType().FullName }) {
            $text = $group.Group | Format-Table | Out-String
            $text.Trim() | Should -Not -BeNullOrEmpty -Because $group.Name
            $text | Should -Not -Match ([regex]::Escape($group.Name)) -Because "$($group.Name) needs a view, not the type name"
        }
    }
    It 'converts every object to JSON at depth 5 with no secret in it' {
        foreach ($o in $Objects) {
            $json = $o | ConvertTo-Json -Depth 5 -WarningAction Stop
            $json | Should -Not -BeNullOrEmpty
            foreach ($secret in $Secrets) { $json | Should -Not -Match ([regex]::Escape($secret)) }
        }
    }
}
