@{
    RootModule           = 'MarketplaceMigration.psm1'
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Core')
    GUID                 = '3f0c6f0e-8a57-4c53-9d1f-6a8f3b1e7c21'
    Author               = 'MarketplaceMigration contributors'
    CompanyName          = 'MarketplaceMigration'
    Copyright            = '(c) MarketplaceMigration contributors. MIT License.'
    Description          = 'Moves the Flyokai Marketplace data plane between Shopware''s MySQL and the Flyokai cluster''s MySQL in ten resumable steps behind a maintenance gate, and keeps both ends'' schemas in step.'
    PowerShellVersion    = '7.2'
    FormatsToProcess     = @('MarketplaceMigration.Format.ps1xml')
    TypesToProcess       = @('MarketplaceMigration.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-MigrationProfile'
        'Test-SchemaParity'
        'Start-DataMigration'
        'Approve-DataMigrationCutover'
        'Stop-DataMigration'
        'Get-MigrationState'
        'Get-MaintenanceGate'
        'Set-MaintenanceGate'
        'Clear-MaintenanceGate'
        'Copy-DataPlane'
        'Test-DataIntegrity'
        'Get-DataLocation'
        'Set-DataLocation'
        'Restart-MarketplaceCluster'
        'Test-MarketplaceCluster'
        'Compare-DataPlane'
        'New-SchemaMigration'
        'Get-SchemaMigration'
        'Invoke-SchemaMigration'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Shopware', 'Flyokai', 'Marketplace', 'MySQL', 'MariaDB', 'Migration', 'Linux')
            LicenseUri = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = '0.1.0: the ten-step move in both directions with resume, full verification and the fault suite; schema migrations (New-/Get-/Invoke-SchemaMigration); help for every cmdlet. See CHANGELOG.md in the module folder.'
        }
    }
}
