# Help shipped in the module (MAML generated from docs/help.yml) as pwsh shows it.
BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../out/MarketplaceMigration/MarketplaceMigration.psd1'
    Import-Module $manifest -Force
    $script:Cmdlets = @((Get-Module MarketplaceMigration).ExportedCmdlets.Keys | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . $PSScriptRoot/TestRig.ps1
    Import-Module $ManifestPath -Force
    $script:Common = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable', 'WarningVariable',
        'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm')
}

Describe 'Get-Help <Name> -Full' -ForEach $Cmdlets {
    BeforeAll { $script:Help = Get-Help $Name -Full }

    It 'has a synopsis of its own (not the generated syntax)' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$Name\s"
    }
    It 'has a description' {
        ($Help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }
    It 'documents every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $Common }
        foreach ($p in $parameters) {
            $doc = $Help.parameters.parameter | Where-Object name -eq $p
            $doc | Should -Not -BeNullOrEmpty -Because "-$p needs help"
            ($doc.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }
    It 'has at least two examples' {
        @($Help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'about_MarketplaceMigration' {
    It 'explains the ten steps, the gate, resume and troubleshooting' {
        $text = Get-Help about_MarketplaceMigration | Out-String
        foreach ($part in 'THE TEN STEPS', 'THE MAINTENANCE GATE', 'RESUME', 'TROUBLESHOOTING') { $text | Should -Match $part }
    }
}
