# Real servers and Shopware-like roots for the Pester tests, the PowerShell twin of
# tests/MarketplaceMigration.TestRig: MM_TEST_SHOPWARE / MM_TEST_CLUSTER (MySqlConnector connection
# strings) when set, else two throwaway mariadbd processes started once per pwsh session.
Set-StrictMode -Version Latest

$script:RepoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
$script:Stage = Join-Path $script:RepoRoot 'out/MarketplaceMigration'
$script:ManifestPath = Join-Path $script:Stage 'MarketplaceMigration.psd1'
if (-not (Test-Path $script:ManifestPath)) {
    throw "The staged module is missing at $script:ManifestPath: run 'dotnet build MarketplaceMigration.sln' or './build.ps1 -Task Build' first."
}
Add-Type -Path (Join-Path $script:Stage 'dependencies/MySqlConnector.dll')   # the module keeps its libraries in dependencies/

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function New-ConnectionString([hashtable] $Server, [string] $Database = '') {
    $b = [MySqlConnector.MySqlConnectionStringBuilder]::new()
    $b.Server = $Server.Host; $b.Port = $Server.Port; $b.UserID = $Server.User; $b.Password = $Server.Password
    $b.Database = $Database; $b.GuidFormat = 'None'; $b.ConnectionTimeout = 10
    $b.ConnectionString
}

function Invoke-TestSql([hashtable] $Server, [string] $Database, [string] $Sql) {
    $connection = [MySqlConnector.MySqlConnection]::new((New-ConnectionString $Server $Database))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
}

function Start-ThrowawayMariaDb([string] $Name, [string] $RunDirectory) {
    $server = @((Get-Command mariadbd -ErrorAction SilentlyContinue).Source, '/usr/sbin/mariadbd') | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    $installer = @((Get-Command mariadb-install-db -ErrorAction SilentlyContinue).Source, '/usr/bin/mariadb-install-db') | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    if (-not $server -or -not $installer) {
        throw "No database server for the tests: install MariaDB (Debian/Ubuntu: 'apt-get install -y mariadb-server'), or set MM_TEST_SHOPWARE and MM_TEST_CLUSTER to connection strings of two servers."
    }
    $dir = Join-Path $RunDirectory $Name
    $data = Join-Path $dir 'data'
    New-Item -ItemType Directory -Force -Path $data | Out-Null
    $osUser = [Environment]::UserName
    $userArg = if ($osUser -eq 'root') { '--user=root' } else { "--user=$osUser" }
    & $installer --no-defaults "--datadir=$data" $userArg --auth-root-authentication-method=socket "--auth-root-socket-user=$osUser" --skip-test-db *> (Join-Path $dir 'install.log')
    if ($LASTEXITCODE -ne 0) { throw "mariadb-install-db failed for the $Name test server: $(Get-Content -Raw (Join-Path $dir 'install.log'))" }

    $password = 'Rig-' + [guid]::NewGuid().ToString('N')
    $init = Join-Path $dir 'init.sql'
    Set-Content -Path $init -Value @(
        "CREATE USER IF NOT EXISTS 'mmtest'@'127.0.0.1' IDENTIFIED BY '$password';"
        "GRANT ALL PRIVILEGES ON *.* TO 'mmtest'@'127.0.0.1' WITH GRANT OPTION;"
    )
    $port = Get-FreePort
    $arguments = @(
        '--no-defaults', "--datadir=$data", "--port=$port", '--bind-address=127.0.0.1', "--socket=$dir/mariadbd.sock",
        "--pid-file=$dir/mariadbd.pid", "--log-error=$dir/error.log", "--init-file=$init", '--skip-name-resolve', '--skip-log-bin',
        '--performance-schema=OFF', '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=2', '--local-infile=1',
        '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci'
    )
    if ($osUser -eq 'root') { $arguments += '--user=root' }
    $process = Start-Process -FilePath $server -ArgumentList $arguments -PassThru -RedirectStandardOutput "$dir/stdout.log" -RedirectStandardError "$dir/stderr.log"
    $info = @{ Host = '127.0.0.1'; Port = $port; User = 'mmtest'; Password = $password; Process = $process }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        if ($process.HasExited) { throw "mariadbd for the $Name test server exited: $(Get-Content -Raw "$dir/error.log")" }
        try { Invoke-TestSql $info '' 'SELECT 1' | Out-Null; break }
        catch { if ([DateTime]::UtcNow -gt $deadline) { throw "mariadbd for the $Name test server did not answer within 60 s: $_" }; Start-Sleep -Milliseconds 100 }
    }
    $info
}

function ConvertFrom-ConnectionString([string] $Value) {
    $b = [MySqlConnector.MySqlConnectionStringBuilder]::new($Value)
    @{ Host = $b.Server; Port = [int]$b.Port; User = $b.UserID; Password = $b.Password; Process = $null }
}

function Get-TestRig {
    if (Get-Variable -Name MMTestRig -Scope Global -ErrorAction SilentlyContinue) { return $global:MMTestRig }
    if ($env:MM_TEST_SHOPWARE -and $env:MM_TEST_CLUSTER) {
        $global:MMTestRig = @{ Shopware = ConvertFrom-ConnectionString $env:MM_TEST_SHOPWARE; Cluster = ConvertFrom-ConnectionString $env:MM_TEST_CLUSTER }
        return $global:MMTestRig
    }
    $runDirectory = Join-Path ([IO.Path]::GetTempPath()) ("mm-pester-$PID-" + [guid]::NewGuid().ToString('N').Substring(0, 6))
    $rig = @{ Shopware = Start-ThrowawayMariaDb 'shopware' $runDirectory; Cluster = Start-ThrowawayMariaDb 'cluster' $runDirectory; Directory = $runDirectory }
    $null = Register-EngineEvent -SourceIdentifier PowerShell.Exiting -MessageData $rig -Action {
        foreach ($s in $event.MessageData.Shopware, $event.MessageData.Cluster) { if ($s.Process -and -not $s.Process.HasExited) { $s.Process.Kill() } }
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $event.MessageData.Directory
    }
    $global:MMTestRig = $rig
    $rig
}

function Set-TestConfig([hashtable] $Site, [string] $Key, $Value) {
    $json = @{ _value = $Value } | ConvertTo-Json -Compress
    $k = "FlyokaiMarketplaceRemote.config.$Key"
    Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb "DELETE FROM system_config WHERE configuration_key = '$k'" | Out-Null
    Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb ("INSERT INTO system_config (id, configuration_key, configuration_value, sales_channel_id, created_at) " +
        "VALUES (UNHEX(REPLACE(UUID(), '-', '')), '$k', '$($json.Replace("'", "''"))', NULL, NOW(3))") | Out-Null
}

function New-TestSite([switch] $DataPlaneOnShopware, [switch] $DataPlaneOnCluster) {
    $rig = Get-TestRig
    $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
    $site = @{
        Rig = $rig; ShopwareDb = "mmsw_$id"; ClusterDb = "mmcl_$id"
        Root = Join-Path ([IO.Path]::GetTempPath()) "mm-pester-site-$id"
    }
    $site.ClusterConfigPath = Join-Path $site.Root 'cluster/storage/flyok.config.json'
    $site.Secrets = @($rig.Shopware.Password, $rig.Cluster.Password)
    Invoke-TestSql $rig.Shopware '' "CREATE DATABASE $($site.ShopwareDb) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" | Out-Null
    Invoke-TestSql $rig.Cluster '' "CREATE DATABASE $($site.ClusterDb) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" | Out-Null
    New-Item -ItemType Directory -Force -Path (Join-Path $site.Root 'bin'), (Split-Path $site.ClusterConfigPath) | Out-Null
    Set-Content -Path (Join-Path $site.Root 'bin/console') -Value '#!/usr/bin/env php'
    $s = $rig.Shopware
    $url = "mysql://$([uri]::EscapeDataString($s.User)):$([uri]::EscapeDataString($s.Password))@$($s.Host):$($s.Port)/$($site.ShopwareDb)"
    Set-Content -Path (Join-Path $site.Root '.env') -Value "APP_ENV=prod`nDATABASE_URL=$url"
    $sql = Join-Path $script:RepoRoot 'tests/MarketplaceMigration.TestRig/Sql'
    Invoke-TestSql $rig.Shopware $site.ShopwareDb (Get-Content -Raw (Join-Path $sql 'shopware-core.sql')) | Out-Null
    if ($DataPlaneOnShopware) { Invoke-TestSql $rig.Shopware $site.ShopwareDb (Get-Content -Raw (Join-Path $sql 'flyokai-data-plane.sql')) | Out-Null }
    if ($DataPlaneOnCluster) { Invoke-TestSql $rig.Cluster $site.ClusterDb (Get-Content -Raw (Join-Path $sql 'flyokai-data-plane.sql')) | Out-Null }
    Set-TestConfig $site 'clusterConfigPath' $site.ClusterConfigPath
    Set-TestConfig $site 'dataLocation' 'shopware'
    Set-TestConfig $site 'clusterRestartCommand' 'true'
    $block = { param($server, $db) @{ hostname = $server.Host; port = $server.Port; username = $server.User; password = $server.Password; database = $db } }
    @{ db = @{ connection = @{ active = 'shopware'; shopware = (& $block $rig.Shopware $site.ShopwareDb); cluster = (& $block $rig.Cluster $site.ClusterDb) } } } |
        ConvertTo-Json -Depth 5 | Set-Content -Path $site.ClusterConfigPath
    $site
}

function Remove-TestSite([hashtable] $Site) {
    if (-not $Site) { return }
    Invoke-TestSql $Site.Rig.Shopware '' "DROP DATABASE IF EXISTS $($Site.ShopwareDb)" | Out-Null
    Invoke-TestSql $Site.Rig.Cluster '' "DROP DATABASE IF EXISTS $($Site.ClusterDb)" | Out-Null
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Site.Root
}

function Get-StandInDll {
    $dll = Get-ChildItem -Path (Join-Path $script:RepoRoot 'tools/MarketplaceMigration.ClusterStandIn/bin') -Recurse -Filter 'MarketplaceMigration.ClusterStandIn.dll' -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw "The cluster stand-in is not built: run 'dotnet build MarketplaceMigration.sln' first." }
    $dll.FullName
}

# Makes the site a Remote installation around the stand-in cluster: channel port, restart command,
# a profile with the ping as smoke command, a few sellers, and the cluster started.
function Add-TestCluster([hashtable] $Site, [int] $Sellers = 5) {
    $dll = Get-StandInDll
    $Site.ChannelPort = Get-FreePort
    $Site.PidFile = Join-Path $Site.Root 'cluster/standin.pid'
    $Site.RestartCommand = "dotnet '$dll' restart --config '$($Site.ClusterConfigPath)' --port $($Site.ChannelPort) --pidfile '$($Site.PidFile)'"
    $Site.ProfilePath = Join-Path $Site.Root 'profile.json'
    Set-TestConfig $Site 'flyokaiChannelPort' $Site.ChannelPort
    Set-TestConfig $Site 'clusterRestartCommand' $Site.RestartCommand
    @{ smokeCommand = "dotnet '$dll' ping --port $($Site.ChannelPort)"; timeouts = @{ portSeconds = 10; drainSeconds = 3; lockWaitSeconds = 2 } } |
        ConvertTo-Json -Depth 3 | Set-Content -Path $Site.ProfilePath
    for ($i = 0; $i -lt $Sellers; $i++) {
        Invoke-TestSql $Site.Rig.Shopware $Site.ShopwareDb ("INSERT INTO flyokai_seller (id, user_id, status, slug, contact, created_at) VALUES " +
            "(UNHEX(REPLACE(UUID(), '-', '')), UNHEX(REPLACE(UUID(), '-', '')), 'active', 'pester-$i', '{""n"": $i, ""e"": ""😀""}', NOW())") | Out-Null
    }
    & /bin/sh -c $Site.RestartCommand | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "The stand-in cluster did not start." }
}

# A site with the data plane on both ends and the stand-in cluster running, and its end.
function New-ClusterSite([int] $Sellers = 3) {
    $site = New-TestSite -DataPlaneOnShopware -DataPlaneOnCluster
    Add-TestCluster $site -Sellers $Sellers
    $site
}

function Remove-ClusterSite([hashtable] $Site) {
    Stop-TestCluster $Site
    Remove-TestSite $Site
}

function Stop-TestCluster([hashtable] $Site) {
    if ($Site -and $Site.PidFile -and (Test-Path $Site.PidFile)) {
        Stop-Process -Id ([int](Get-Content $Site.PidFile)) -Force -ErrorAction SilentlyContinue
    }
}

# Stops the session's throwaway servers and removes their files (tests/Pester/Run.ps1 calls it in a finally:
# PowerShell.Exiting does not fire for `pwsh -Command`, which left two mariadbd behind after every run).
function Stop-TestRig {
    $rig = Get-Variable -Name MMTestRig -Scope Global -ValueOnly -ErrorAction SilentlyContinue
    if (-not $rig) { return }
    foreach ($s in $rig.Shopware, $rig.Cluster) {
        if ($s.Process -and -not $s.Process.HasExited) { $s.Process.Kill(); $null = $s.Process.WaitForExit(30000) }
    }
    if ($rig.Directory) { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $rig.Directory }
    Remove-Variable -Name MMTestRig -Scope Global -ErrorAction SilentlyContinue
}
