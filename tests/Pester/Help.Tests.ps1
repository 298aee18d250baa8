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
    It 'shows switches as switches in SYNTAX, -WhatIf and -Confirm where it asks, and the values a parameter takes' {
        $syntax = ($Help.syntax | Out-String -Width 500)
        $syntax | Should -Not -Match '<SwitchParameter>'
        $command = Get-Command $Name
        foreach ($switch in $command.Parameters.Values | Where-Object { $_.SwitchParameter -and $_.Name -notin $Common }) {
            $syntax | Should -Match "\[-$($switch.Name)\]" -Because "-$($switch.Name) is a switch"
        }
        if ($command.Parameters.ContainsKey('WhatIf')) { $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]' }
        foreach ($p in $command.Parameters.Values | Where-Object { $_.ParameterType.IsEnum -and $_.Name -notin $Common -and $_.Name -notlike '*Action' }) {
            $syntax | Should -Match ("\{" + ([enum]::GetNames($p.ParameterType) -join ' \| ') + "\}") -Because "-$($p.Name) takes one of its enum's names"
        }
    }
    It 'gives each parameter its real default' {
        $instance = [Activator]::CreateInstance($(Get-Command $Name).ImplementingType)
        foreach ($doc in $Help.parameters.parameter | Where-Object { $_.name -notin 'WhatIf', 'Confirm' }) {
            $value = $instance.($doc.name)
            $expected = if ($value -is [System.Management.Automation.SwitchParameter]) { 'False' } elseif ($null -eq $value -or ($value -is [array]) -or "$value" -eq '') { 'None' } else { "$value" }
            $doc.defaultValue | Should -Be $expected -Because "-$($doc.name) defaults to $expected"
        }
    }
}

Describe 'about_MarketplaceMigration' {
    It 'explains the ten steps, the gate, resume and troubleshooting' {
        $text = Get-Help about_MarketplaceMigration | Out-String
        foreach ($part in 'THE TEN STEPS', 'THE MAINTENANCE GATE', 'RESUME', 'TROUBLESHOOTING') { $text | Should -Match $part }
    }
}
