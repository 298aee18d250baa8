# The module's root: puts the engine and its libraries (dependencies/) in a load context of their own
# before PowerShell reads the cmdlets, then imports the cmdlets. Without a dependencies folder (the
# tests' flat output) it only imports the cmdlets.
$cmdlets = [System.IO.Path]::Combine($PSScriptRoot, 'MarketplaceMigration.PowerShell.dll')
$null = [System.Reflection.Assembly]::LoadFrom($cmdlets)
$null = [MarketplaceMigration.PowerShell.Internal.DependencyIsolation]::Register()
Import-Module $cmdlets
# The engine's public types by their full names in the user's session (type accelerators; see about_MarketplaceMigration).
$null = [MarketplaceMigration.PowerShell.Internal.DependencyIsolation]::RegisterTypeNames()
Export-ModuleMember -Cmdlet *
