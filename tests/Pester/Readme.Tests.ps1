# Every PowerShell example in README.md runs, in order, in a fresh real pwsh against a test site: the
# Shopware root of the examples (/var/www/shopware, or the current location after their cd) becomes the
# site's, the import names the staged module, and $PSDefaultParameterValues gives the site's profile.
BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    $script:Site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster
    Add-TestCluster $Site -Sellers 4
    $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
    $script:Blocks = @([regex]::Matches($readme, '(?s)```powershell\n(.*?)```') | ForEach-Object { $_.Groups[1].Value })
}
AfterAll {
    Stop-TestCluster $Site
    Remove-TestSite $Site
}

Describe 'README examples' {
    It 'has PowerShell examples to run' {
        $Blocks.Count | Should -BeGreaterOrEqual 2
    }
    It 'runs every one of them without an error' {
        # The Install example runs in a pwsh of its own (below): it imports an installed copy of the module.
        $script = @(
            "Import-Module '$ManifestPath'"   # as an installed module auto-loads (README, Install)
            "`$PSDefaultParameterValues['*-*:ProfilePath'] = '$($Site.ProfilePath)'"
            "`$ErrorActionPreference = 'Continue'"
            foreach ($block in $Blocks | Where-Object { $_ -notmatch 'Install-PSResource' }) {
                $block.Replace('Import-Module ./out/MarketplaceMigration/MarketplaceMigration.psd1', "Import-Module '$ManifestPath'").Replace('/var/www/shopware', $Site.Root)
            }
            "'README-ERRORS=' + `$Error.Count"
            "`$Error | ForEach-Object { 'README-ERROR: ' + `$_ }"
        ) -join "`n"
        $file = Join-Path $Site.Root 'readme-examples.ps1'
        Set-Content -Path $file -Value $script
        Push-Location $Site.Root
        try { $out = pwsh -NoProfile -NonInteractive -File $file 2>&1 | Out-String }
        finally { Pop-Location }
        $out | Should -Match 'README-ERRORS=0' -Because $out
        $out | Should -Match 'ShopwareRoot\s+:' -Because 'Get-MigrationProfile shows the root'
    }
    It 'runs the Install example in a fresh pwsh, from the repository root, with a HOME of its own' {
        $install = @($Blocks | Where-Object { $_ -match 'Install-PSResource' })
        $install.Count | Should -Be 1
        # A HOME of its own: the example registers a repository and installs for the current user.
        $testHome = Join-Path $Site.Root 'home'
        New-Item -ItemType Directory -Path $testHome -Force | Out-Null
        $script = "`$ErrorActionPreference = 'Stop'`n" + $install[0] + "`n(Get-Module MarketplaceMigration).ModuleBase"
        $realHome = $env:HOME
        Push-Location $RepoRoot
        try { $env:HOME = $testHome; $out = @(pwsh -NoProfile -NonInteractive -Command $script 2>&1) }
        finally { $env:HOME = $realHome; Pop-Location }
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out[-1] | Should -BeLike "$testHome/*MarketplaceMigration*"
    }
}
