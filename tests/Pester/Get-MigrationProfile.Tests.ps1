BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
    $script:Cmdlet = 'MarketplaceMigration.PowerShell.Cmdlets.GetMigrationProfileCommand'
}

Describe 'Get-MigrationProfile' {
    BeforeEach { $script:Site = New-TestSite -DataPlaneOnShopware }
    AfterEach { Remove-TestSite $script:Site }

    It 'resolves a Shopware root and shows no secret on any stream or in JSON' {
        $resolved = Get-MigrationProfile -ShopwareRoot $Site.Root -Verbose -Debug 4>&1 5>&1 6>&1 3>&1 | Tee-Object -Variable all |
            Where-Object { $_ -is [MarketplaceMigration.Engine.Discovery.MigrationProfile] }
        $resolved.Tables.Count | Should -Be 22
        $resolved.DataLocationAgrees | Should -BeTrue
        $resolved.ClusterConfigPath | Should -Be $Site.ClusterConfigPath
        $rendered = ($resolved | Format-List | Out-String) + ($resolved | Format-Table | Out-String) + ($resolved | ConvertTo-Json -Depth 5) + ($all | Out-String)
        $rendered | Should -Match ([regex]::Escape($Site.ShopwareDb))
        foreach ($secret in $Site.Secrets) { $rendered | Should -Not -Match ([regex]::Escape($secret)) }
    }

    It 'fails with <Id> when <Case>' -ForEach @(
        @{ Case = 'the root does not exist'; Id = 'ShopwareRootNotFound'; Arrange = { param($s) @{ ShopwareRoot = Join-Path $s.Root 'nowhere' } } }
        @{ Case = 'there is no .env'; Id = 'DotEnvNotFound'; Arrange = { param($s) Remove-Item -Force (Join-Path $s.Root '.env'); @{} } }
        @{ Case = 'the cluster file is missing'; Id = 'ClusterConfigNotFound'; Arrange = { param($s) Remove-Item $s.ClusterConfigPath; @{} } }
        @{ Case = 'the cluster file is not JSON'; Id = 'ClusterConfigInvalid'; Arrange = { param($s) Set-Content $s.ClusterConfigPath '{ "db": '; @{} } }
        @{ Case = 'the table list names flyokai_user'; Id = 'TableListInvalid'; Arrange = { param($s) @{ Table = 'flyokai_user' } } }
    ) {
        $parameters = & $Arrange $Site
        if (-not $parameters.ContainsKey('ShopwareRoot')) { $parameters.ShopwareRoot = $Site.Root }
        { Get-MigrationProfile @parameters -ErrorAction Stop } | Should -Throw -ErrorId "$Id,$Cmdlet"
    }

    It 'sets $? and honours -ErrorAction' {
        Get-MigrationProfile -ShopwareRoot (Join-Path $Site.Root 'nowhere') -ErrorAction SilentlyContinue -ErrorVariable problems
        $? | Should -BeFalse
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}
