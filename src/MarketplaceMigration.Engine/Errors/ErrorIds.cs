namespace MarketplaceMigration.Engine.Errors;

/// <summary>
/// Every stable error id the engine raises. docs/errors.md lists them; tests assert them.
/// </summary>
public static class ErrorIds
{
    /// <summary>No Shopware root was given and the current directory is not one.</summary>
    public const string ShopwareRootNotFound = nameof(ShopwareRootNotFound);

    /// <summary>Neither .env nor .env.local exists under the Shopware root.</summary>
    public const string DotEnvNotFound = nameof(DotEnvNotFound);

    /// <summary>A line of a .env file cannot be parsed.</summary>
    public const string DotEnvInvalid = nameof(DotEnvInvalid);

    /// <summary>DATABASE_URL is set nowhere.</summary>
    public const string DatabaseUrlNotFound = nameof(DatabaseUrlNotFound);

    /// <summary>DATABASE_URL is not a usable mysql:// URL.</summary>
    public const string DatabaseUrlInvalid = nameof(DatabaseUrlInvalid);

    /// <summary>The server does not answer.</summary>
    public const string ServerUnreachable = nameof(ServerUnreachable);

    /// <summary>The server refused the user or password.</summary>
    public const string AccessDenied = nameof(AccessDenied);

    /// <summary>The database named by an endpoint does not exist.</summary>
    public const string DatabaseNotFound = nameof(DatabaseNotFound);

    /// <summary>Another server error while talking to an endpoint.</summary>
    public const string ServerError = nameof(ServerError);

    /// <summary>The Shopware database has no system_config table.</summary>
    public const string SystemConfigNotFound = nameof(SystemConfigNotFound);

    /// <summary>A FlyokaiMarketplaceRemote.config row holds a value of the wrong shape.</summary>
    public const string SystemConfigValueInvalid = nameof(SystemConfigValueInvalid);

    /// <summary>The cluster config file does not exist.</summary>
    public const string ClusterConfigNotFound = nameof(ClusterConfigNotFound);

    /// <summary>The cluster config file cannot be read.</summary>
    public const string ClusterConfigUnreadable = nameof(ClusterConfigUnreadable);

    /// <summary>The cluster config file is not valid JSON or has the wrong shape.</summary>
    public const string ClusterConfigInvalid = nameof(ClusterConfigInvalid);

    /// <summary>The cluster config file has no db.connection.cluster block.</summary>
    public const string ClusterConnectionMissing = nameof(ClusterConnectionMissing);

    /// <summary>The db.connection.cluster block lacks a field or holds a bad value.</summary>
    public const string ClusterConnectionInvalid = nameof(ClusterConnectionInvalid);

    /// <summary>The profile file does not exist.</summary>
    public const string ProfileNotFound = nameof(ProfileNotFound);

    /// <summary>The profile file is not valid or holds a key it must not.</summary>
    public const string ProfileInvalid = nameof(ProfileInvalid);

    /// <summary>The table list is empty, repeats a table, names an identity-plane table or an invalid name.</summary>
    public const string TableListInvalid = nameof(TableListInvalid);

    /// <summary>A table in the list does not exist on an endpoint.</summary>
    public const string TableNotFound = nameof(TableNotFound);

    /// <summary>A password environment variable named by the profile is not set.</summary>
    public const string SecretNotFound = nameof(SecretNotFound);

    /// <summary>The two ends' data-plane schemas differ.</summary>
    public const string SchemaDrift = nameof(SchemaDrift);

    /// <summary>The state file cannot be read or is from a newer version.</summary>
    public const string StateIncompatible = nameof(StateIncompatible);

    /// <summary>The state file could not be written.</summary>
    public const string StateWriteFailed = nameof(StateWriteFailed);

    /// <summary>The state directory cannot hold the run's state: a file stands there, or it is not writable (found before step 1).</summary>
    public const string StateDirectoryUnusable = nameof(StateDirectoryUnusable);

    /// <summary>An end the run writes to is read-only (read_only, super_read_only, innodb_read_only, or a read-only transaction default).</summary>
    public const string TargetReadOnly = nameof(TargetReadOnly);

    /// <summary>A server's connection went away in the middle of a step (a crash, a restart, a cut link); the error names which end does not answer.</summary>
    public const string ServerLost = nameof(ServerLost);

    /// <summary>Another run holds the lock.</summary>
    public const string RunInProgress = nameof(RunInProgress);

    /// <summary>An unfinished run goes the other way.</summary>
    public const string DirectionMismatch = nameof(DirectionMismatch);

    /// <summary>An unfinished run was started online and the rerun asks for offline, or the other way round.</summary>
    public const string ModeMismatch = nameof(ModeMismatch);

    /// <summary>The data already lives where the run would move it.</summary>
    public const string AlreadyAtLocation = nameof(AlreadyAtLocation);

    /// <summary>The two selectors disagree and no run explains it.</summary>
    public const string SelectorsDisagree = nameof(SelectorsDisagree);

    /// <summary>The maintenance gate could not be written.</summary>
    public const string GateWriteFailed = nameof(GateWriteFailed);

    /// <summary>The gate was lifted while a run needed it set.</summary>
    public const string GateLiftedDuringRun = nameof(GateLiftedDuringRun);

    /// <summary>Transactions that began before the gate did not end in time.</summary>
    public const string DrainTimeout = nameof(DrainTimeout);

    /// <summary>The target server does not accept LOAD DATA LOCAL INFILE.</summary>
    public const string LocalInfileDisabled = nameof(LocalInfileDisabled);

    /// <summary>A table has no primary key.</summary>
    public const string TableWithoutPrimaryKey = nameof(TableWithoutPrimaryKey);

    /// <summary>A column type the copy cannot carry exactly.</summary>
    public const string UnsupportedColumnType = nameof(UnsupportedColumnType);

    /// <summary>A read from the source failed.</summary>
    public const string SourceReadFailed = nameof(SourceReadFailed);

    /// <summary>A write to the target failed or raised a warning.</summary>
    public const string TargetWriteFailed = nameof(TargetWriteFailed);

    /// <summary>The dump file could not be written.</summary>
    public const string DumpWriteFailed = nameof(DumpWriteFailed);

    /// <summary>Row counts differ between the ends.</summary>
    public const string RowCountMismatch = nameof(RowCountMismatch);

    /// <summary>Row contents differ between the ends.</summary>
    public const string ChecksumMismatch = nameof(ChecksumMismatch);

    /// <summary>The cluster config file could not be rewritten.</summary>
    public const string ClusterConfigWriteFailed = nameof(ClusterConfigWriteFailed);

    /// <summary>The dataLocation row could not be written.</summary>
    public const string DataLocationWriteFailed = nameof(DataLocationWriteFailed);

    /// <summary>Set-DataLocation without equal data on both ends.</summary>
    public const string DataNotVerified = nameof(DataNotVerified);

    /// <summary>The restart command failed, was not found, or ran too long.</summary>
    public const string RestartCommandFailed = nameof(RestartCommandFailed);

    /// <summary>The cluster's channel port did not open in time.</summary>
    public const string ClusterPortTimeout = nameof(ClusterPortTimeout);

    /// <summary>The ping failed.</summary>
    public const string SmokeTestFailed = nameof(SmokeTestFailed);

    /// <summary>The ping answered, with a seller count that does not match the new location.</summary>
    public const string SmokeSellerCountMismatch = nameof(SmokeSellerCountMismatch);

    /// <summary>-DropSource was asked before the copy was verified and smoke-tested.</summary>
    public const string DropSourceNotAllowed = nameof(DropSourceNotAllowed);

    /// <summary>The cache-invalidation command failed.</summary>
    public const string CacheClearFailed = nameof(CacheClearFailed);

    /// <summary>The database user lacks a privilege a step needs.</summary>
    public const string PrivilegeMissing = nameof(PrivilegeMissing);

    /// <summary>The run was stopped by the user or the host.</summary>
    public const string Canceled = nameof(Canceled);

    /// <summary>A failure the engine did not anticipate.</summary>
    public const string Unexpected = nameof(Unexpected);

    /// <summary>An unfinished run holds the gate.</summary>
    public const string GateHeldByRun = nameof(GateHeldByRun);

    /// <summary>The copy would write into the database the data lives in.</summary>
    public const string TargetIsLive = nameof(TargetIsLive);

    /// <summary>A single-step copy was asked without the gate set.</summary>
    public const string GateNotSet = nameof(GateNotSet);

    /// <summary>A schema migration file (or its name) cannot be used.</summary>
    public const string SchemaMigrationInvalid = nameof(SchemaMigrationInvalid);

    /// <summary>A schema migration's statement failed on an endpoint.</summary>
    public const string SchemaMigrationFailed = nameof(SchemaMigrationFailed);

    /// <summary>Another Invoke-SchemaMigration holds the endpoint's lock.</summary>
    public const string SchemaMigrationInProgress = nameof(SchemaMigrationInProgress);

    /// <summary>The migrations lock file cannot be read or written.</summary>
    public const string MigrationLockInvalid = nameof(MigrationLockInvalid);

    /// <summary>An online move cannot run on these tables or this server (cascades from outside the set, no multiple triggers per
    /// event, binary logging that refuses triggers).</summary>
    public const string OnlineNotPossible = nameof(OnlineNotPossible);

    /// <summary>Installing or removing a capture trigger waited too long for a table's metadata lock.</summary>
    public const string CaptureLockTimeout = nameof(CaptureLockTimeout);

    /// <summary>The change capture of an online run is gone or incomplete on the source (a trigger or changelog was dropped).</summary>
    public const string CaptureMissing = nameof(CaptureMissing);

    /// <summary>Replaying captured changes onto the target failed.</summary>
    public const string ReplayFailed = nameof(ReplayFailed);

    /// <summary>The cutover hook threw: nothing was flipped.</summary>
    public const string CutoverHookFailed = nameof(CutoverHookFailed);

    /// <summary>Stop-DataMigration found nothing it may stop, or a run past its flip.</summary>
    public const string CancelNotPossible = nameof(CancelNotPossible);

    /// <summary>The operator stopped the run (Stop-DataMigration) while it was waiting or replaying.</summary>
    public const string StoppedByOperator = nameof(StoppedByOperator);

    /// <summary>A node of a Galera end does not answer (killed, or an address the profile's nodes must correct).</summary>
    public const string GaleraNodeUnreachable = nameof(GaleraNodeUnreachable);

    /// <summary>A node of a Galera end is outside the primary component (cut off, or the cluster lost quorum).</summary>
    public const string GaleraNotPrimary = nameof(GaleraNotPrimary);

    /// <summary>A node of a Galera end is not Synced (joining, donor, desynced).</summary>
    public const string GaleraNodeNotSynced = nameof(GaleraNodeNotSynced);

    /// <summary>The nodes of a Galera end do not hold the same rows (a node that differs names itself).</summary>
    public const string GaleraNodesDiffer = nameof(GaleraNodesDiffer);
}
