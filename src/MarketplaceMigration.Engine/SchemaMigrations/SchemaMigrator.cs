using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MySqlConnector;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>
/// Lists and runs schema migrations per endpoint. A run holds a session lock per endpoint
/// (GET_LOCK, so two runs never interleave; on every node of a Galera endpoint), runs the pending update parts in catalog order (and,
/// only when asked, the pending destructive parts), records each statement as it commits, and
/// appends what it ran to the lock file. An applied migration whose file changed is reported and
/// never re-run.
/// </summary>
public static class SchemaMigrator
{
    private const string Update = "update";
    private const string Destructive = "updateDestructive";

    /// <summary>The endpoints in <paramref name="endpoints"/>, Shopware first.</summary>
    public static IEnumerable<EndpointRole> Roles(SchemaEndpoints endpoints)
    {
        if (endpoints.HasFlag(SchemaEndpoints.Shopware))
            yield return EndpointRole.Shopware;
        if (endpoints.HasFlag(SchemaEndpoints.Cluster))
            yield return EndpointRole.Cluster;
    }

    private static SchemaEndpoints Flag(EndpointRole role) =>
        role == EndpointRole.Shopware ? SchemaEndpoints.Shopware : SchemaEndpoints.Cluster;

    /// <summary>Every known migration's state on each endpoint.</summary>
    public static async Task<IReadOnlyList<SchemaMigrationStatus>> StatusAsync(
        ResolvedProfile resolved,
        SchemaMigrationCatalog catalog,
        SchemaEndpoints endpoints,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (catalog is null)
            throw new ArgumentNullException(nameof(catalog));
        var list = new List<SchemaMigrationStatus>();
        foreach (var role in Roles(endpoints))
        {
            using var connection = await ConnectionFactory.OpenAsync(resolved.For(role), cancellationToken).ConfigureAwait(false);
            var rows = await MigrationTracking.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var order = 0;
            foreach (var entry in catalog.Entries)
            {
                rows.TryGetValue(entry.Version, out var row);
                rows.Remove(entry.Version);
                list.Add(Status(role, entry, row, ++order));
            }

            foreach (var orphan in rows.Values.OrderBy(r => r.Version, StringComparer.Ordinal))
            {
                list.Add(
                    new SchemaMigrationStatus
                    {
                        Endpoint = role.ToString(),
                        Version = orphan.Version,
                        Name = orphan.Name,
                        State = SchemaMigrationState.FileMissing,
                        Order = ++order,
                        AppliedAt = orphan.UpdateAt,
                        DestructiveAppliedAt = orphan.DestructiveAt,
                        Seconds = orphan.UpdateSeconds,
                        Message = "recorded in the tracking table, but no source holds its file and the lock file does not list it",
                    }
                );
            }
        }

        return list;
    }

    private static SchemaMigrationStatus Status(EndpointRole role, CatalogEntry entry, AppliedMigration? row, int order)
    {
        var file = entry.File;
        SchemaMigrationState state;
        string? message = null;
        int? statement = null;
        if (entry.Skip)
            state = SchemaMigrationState.Skipped;
        else if (file is null)
        {
            state = SchemaMigrationState.FileMissing;
            message = row is null
                ? "the lock file lists it, but no source holds its file"
                : "it ran here, but no source holds its file any more";
        }
        else if (!file.Endpoints.HasFlag(Flag(role)))
            state = SchemaMigrationState.NotForEndpoint;
        else if (row?.Error != null)
        {
            state = SchemaMigrationState.Failed;
            statement = row.StatementsDone + 1;
            message = $"{row.Part} failed at statement {statement}: {row.Error}";
        }
        else if (row?.UpdateAt is null)
            state = SchemaMigrationState.Pending;
        else if (row.Checksum != file.Checksum)
        {
            state = SchemaMigrationState.ChangedAfterApply;
            message =
                $"the file changed after it was applied (checksum {Short(row.Checksum)} then, {Short(file.Checksum)} now); it is "
                + "not run again: put further changes in a new migration";
        }
        else if (file.Destructive.Count > 0 && row.DestructiveAt is null)
            state = SchemaMigrationState.DestructivePending;
        else
            state = SchemaMigrationState.Applied;

        return new SchemaMigrationStatus
        {
            Endpoint = role.ToString(),
            Version = entry.Version,
            Name = entry.Name,
            State = state,
            Order = order,
            AppliedAt = row?.UpdateAt,
            DestructiveAppliedAt = row?.DestructiveAt,
            Seconds = row?.UpdateSeconds,
            HasDestructivePart = file?.Destructive.Count > 0,
            Path = file?.Path,
            Statement = statement,
            Message = message,
        };
    }

    /// <summary>
    /// Runs the pending parts on each endpoint. <paramref name="shouldRun"/> is asked before each part
    /// (false: the part is reported as Planned with its SQL and not run; -WhatIf answers false).
    /// </summary>
    public static async Task InvokeAsync(
        ResolvedProfile resolved,
        SchemaMigrationCatalog catalog,
        SchemaEndpoints endpoints,
        bool destructive,
        string? until,
        bool whatIf,
        Func<string, string, bool> shouldRun,
        Action<SchemaMigrationResult> emit,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (catalog is null)
            throw new ArgumentNullException(nameof(catalog));
        if (shouldRun is null)
            throw new ArgumentNullException(nameof(shouldRun));
        if (emit is null)
            throw new ArgumentNullException(nameof(emit));
        observer ??= NullRunObserver.Instance;
        if (until != null && !System.Text.RegularExpressions.Regex.IsMatch(until, @"^\d{14}$"))
        {
            throw new MigrationException(
                ErrorIds.SchemaMigrationInvalid,
                MigrationErrorKind.InvalidInput,
                until,
                $"-Until '{until}' is not a migration timestamp.",
                "give a version as yyyyMMddHHmmss, e.g. -Until 20261123120000."
            );
        }

        var ran = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var role in Roles(endpoints))
            {
                var target = resolved.For(role);
                using var connection = await ConnectionFactory
                    .OpenAsync(target, SessionOptions.Unpooled, cancellationToken)
                    .ConfigureAwait(false);
                await LockAsync(connection, target, cancellationToken).ConfigureAwait(false);
                using var nodeLocks = await LockOtherNodesAsync(resolved, role, cancellationToken).ConfigureAwait(false);
                if (!whatIf)
                    await MigrationTracking.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
                var rows = await MigrationTracking.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                foreach (var entry in catalog.Entries)
                {
                    var file = entry.File;
                    if (entry.Skip || file is null || !file.Endpoints.HasFlag(Flag(role)))
                        continue;
                    if (until != null && string.CompareOrdinal(entry.Version, until) > 0)
                        continue;
                    rows.TryGetValue(entry.Version, out var row);
                    if (row?.UpdateAt != null && row.Checksum != file.Checksum)
                    {
                        observer.Warning(
                            $"{role}: migration {entry.Version}{entry.Name} changed after it was applied (checksum "
                                + $"{Short(row.Checksum)} then, {Short(file.Checksum)} now); it is not run again. Put further "
                                + "changes in a new migration."
                        );
                        continue;
                    }

                    if (row?.UpdateAt is null)
                    {
                        row = await RunPartAsync(connection, role, file, row, Update, whatIf, shouldRun, emit, observer, cancellationToken)
                            .ConfigureAwait(false);
                        if (row?.UpdateAt != null)
                            ran.Add(entry.Version);
                    }

                    if (destructive && row?.UpdateAt != null && file.Destructive.Count > 0 && row.DestructiveAt is null)
                    {
                        await RunPartAsync(connection, role, file, row, Destructive, whatIf, shouldRun, emit, observer, cancellationToken)
                            .ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            // What ran is appended to the lock file even when a later migration failed.
            var added = catalog.Entries.Where(e => e.Lock is null && ran.Contains(e.Version) && e.File != null).ToList();
            if (!whatIf && added.Count > 0)
            {
                catalog.Lock.Entries.AddRange(
                    added.Select(e => new MigrationLockEntry
                    {
                        Version = e.Version,
                        Name = e.Name,
                        Source = System.IO.Path.GetFileName(e.File!.Source.TrimEnd('/', '\\')),
                    })
                );
                catalog.Lock.Write();
                observer.Verbose($"Added {added.Count} migration(s) to {catalog.Lock.Path}.");
            }
        }
    }

    /// <summary>
    /// The schema lock on every other node when the endpoint is a Galera cluster: GET_LOCK is local to a node (MDEV-31325),
    /// so two runs through different nodes would otherwise both hold it. Each node's lock lives as long as its unpooled session.
    /// </summary>
    private static async Task<NodeSessions> LockOtherNodesAsync(
        ResolvedProfile resolved,
        EndpointRole role,
        CancellationToken cancellationToken
    )
    {
        var topology = await resolved.TopologyAsync(role, cancellationToken).ConfigureAwait(false);
        var sessions = new NodeSessions();
        try
        {
            foreach (var node in topology.Nodes.Skip(1))
            {
                var session = await ConnectionFactory.OpenAsync(node, SessionOptions.Unpooled, cancellationToken).ConfigureAwait(false);
                sessions.Add(session);
                await LockAsync(session, node, cancellationToken).ConfigureAwait(false);
            }

            return sessions;
        }
        catch
        {
            sessions.Dispose();
            throw;
        }
    }

    /// <summary>Sessions that hold a node's lock; disposing them releases it.</summary>
    private sealed class NodeSessions : List<MySqlConnection>, IDisposable
    {
        public void Dispose()
        {
            foreach (var session in this)
                session.Dispose();
            Clear();
        }
    }

    private static async Task LockAsync(MySqlConnection connection, ConnectionTarget target, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SELECT GET_LOCK(CONCAT('MarketplaceMigration:schema:', DATABASE()), 0)", connection);
        var got = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (got is null or DBNull || Convert.ToInt64(got, CultureInfo.InvariantCulture) != 1)
        {
            throw new MigrationException(
                ErrorIds.SchemaMigrationInProgress,
                MigrationErrorKind.PreflightFailed,
                target.Endpoint.ToString(),
                $"Another Invoke-SchemaMigration holds the schema lock of {target.Endpoint} (GET_LOCK "
                    + $"'MarketplaceMigration:schema:{target.Endpoint.Database}').",
                "wait for it to finish (its session releases the lock when it ends), then rerun."
            );
        }
    }

    private static async Task<AppliedMigration?> RunPartAsync(
        MySqlConnection connection,
        EndpointRole role,
        SchemaMigrationFile file,
        AppliedMigration? row,
        string part,
        bool whatIf,
        Func<string, string, bool> shouldRun,
        Action<SchemaMigrationResult> emit,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var statements = part == Update ? file.Update : file.Destructive;
        var start = 0;
        if (row?.Part == part && row.StatementsDone > 0)
        {
            if (row.DoneChecksum != SchemaMigrationFile.PrefixChecksum(statements, row.StatementsDone))
            {
                throw new MigrationException(
                    ErrorIds.SchemaMigrationFailed,
                    MigrationErrorKind.PreflightFailed,
                    file.Path,
                    $"Migration {file.Version}{file.Name} ({part}) stopped on {role} after statement {row.StatementsDone}, and "
                        + $"the statements that had already run were changed in {file.Path} since.",
                    $"restore statements 1 to {row.StatementsDone} of its {part} part as they were (they are committed on {role}) "
                        + "and change only the ones after; or fix the database by hand and record it."
                );
            }

            start = row.StatementsDone;
        }

        var sql = statements.Skip(start).ToArray();
        var what =
            $"run migration {file.Version}{file.Name} ({part}): {sql.Length} statement(s)"
            + (start > 0 ? $", continuing at statement {start + 1}" : string.Empty);
        if (whatIf || !shouldRun(role.ToString(), what))
        {
            emit(
                new SchemaMigrationResult
                {
                    Endpoint = role.ToString(),
                    Version = file.Version,
                    Name = file.Name,
                    Part = part,
                    Outcome = "Planned",
                    Statements = sql.Length,
                    FirstStatement = start + 1,
                    Sql = sql,
                }
            );
            return row;
        }

        row ??= new AppliedMigration { Version = file.Version, Name = file.Name };
        row.Name = file.Name;
        row.Checksum = file.Checksum;
        row.Part = part;
        row.StatementsDone = start;
        row.Error = null;
        await MigrationTracking.SaveAsync(connection, row, cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        for (var i = start; i < statements.Count; i++)
        {
            observer.Verbose($"{role}: {file.Version}{file.Name} {part} statement {i + 1}/{statements.Count}: {OneLine(statements[i])}");
            try
            {
                using var command = new MySqlCommand(statements[i], connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                row.Error = $"{ex.Message} (server error {ex.Number})";
                await MigrationTracking.SaveAsync(connection, row, cancellationToken).ConfigureAwait(false);
                throw new MigrationException(
                    ErrorIds.SchemaMigrationFailed,
                    MigrationErrorKind.Unspecified,
                    file.Path,
                    $"Migration {file.Version}{file.Name} ({part}) failed on {role} at statement {i + 1} of {statements.Count}: "
                        + $"{OneLine(statements[i])} — {row.Error}. "
                        + (
                            i > 0
                                ? $"Statements 1 to {i} ran and are committed (MySQL commits DDL implicitly); the failure is recorded at statement {i + 1}."
                                : "Nothing of it ran."
                        ),
                    $"fix statement {i + 1} in {file.Path} (leave the ones before it unchanged) or the database, then rerun "
                        + $"Invoke-SchemaMigration: it continues at statement {i + 1}.",
                    ex
                );
            }

            row.StatementsDone = i + 1;
            row.DoneChecksum = SchemaMigrationFile.PrefixChecksum(statements, i + 1);
            await MigrationTracking.SaveAsync(connection, row, cancellationToken).ConfigureAwait(false);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        if (part == Update)
        {
            row.UpdateAt = DateTime.UtcNow;
            row.UpdateSeconds = seconds;
        }
        else
        {
            row.DestructiveAt = DateTime.UtcNow;
            row.DestructiveSeconds = seconds;
        }

        row.Part = null;
        row.StatementsDone = 0;
        row.DoneChecksum = null;
        await MigrationTracking.SaveAsync(connection, row, cancellationToken).ConfigureAwait(false);
        observer.Verbose($"{role}: {file.Version}{file.Name} {part} applied ({sql.Length} statement(s), {seconds:0.00} s).");
        emit(
            new SchemaMigrationResult
            {
                Endpoint = role.ToString(),
                Version = file.Version,
                Name = file.Name,
                Part = part,
                Outcome = "Applied",
                Statements = sql.Length,
                FirstStatement = start + 1,
                Seconds = seconds,
                Sql = sql,
            }
        );
        return row;
    }

    private static string OneLine(string sql)
    {
        var line = System.Text.RegularExpressions.Regex.Replace(sql, @"\s+", " ").Trim();
        return line.Length > 160 ? line.Substring(0, 157) + "..." : line;
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum.Substring(0, 12) : checksum;
}
