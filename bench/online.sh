#!/usr/bin/env bash
# Online move benchmark: the offline and the online Start-DataMigration -To Cluster, through real pwsh,
# while bench/writer keeps the source busy at RATE transactions a second (updates, inserts, deletes,
# primary-key changes, parent inserts and cascading parent deletes), at each dataset size. Measures:
#   freeze  = the gate's time (set_maintenance's start to clear_maintenance's end) minus restart_cluster and smoke_test
#   blocked = the longest any one of the writer's writes waited at the gate (what the shop feels)
#   writer latency p50/p95 before the move (baseline) and while the online copy and catch-up ran
#   the move's total time
# usage: bench/online.sh    (SIZES="250000:100000 1000000:400000" rows per sysbench table:nasty rows, 8 tables;
#                             RATE=200; BASELINE=15 seconds of writes before each move; RES=<dir>; MODES="offline online";
#                             PARALLELISM=n; EXTRA_PROFILE=', "key": value' added to the profile;
#                             TARGET=galera: the cluster's database is a 3-node Galera cluster on loopback, galera-lib.sh;
#                             TARGET_NICE=n: every thread of the standalone target server at nice n for the run, and
#                             TOOL_NICE=n: our pwsh at nice n, so the shop's server and writer come first on the shared
#                             cores, as on hosts of their own: an experiment, never a headline figure;
#                             HOSTS=split: each end on a core of its own, as the product is deployed (the shop's database
#                             and the Flyokai cluster's are different hosts): the source server and the writer on CPU 0,
#                             the target server and the stand-in on CPU 1, and our pwsh on TOOL_CPU (default 1, beside the
#                             target; TOOL_CPU=0 puts it on the shop's host), every thread pinned for the run; standalone only)
# needs: mariadb-server, sysbench (Debian packages), the .NET SDK, pwsh (dotnet tool install --global PowerShell),
#        and the shared anchor harness (SHARED_BENCH, default ../shared/bench beside this repository).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RES=${RES:-/tmp/mm-online-$(date +%Y%m%d-%H%M%S)}
SIZES=${SIZES:-"250000:100000 1000000:400000"}
RATE=${RATE:-200}
BASELINE=${BASELINE:-15}
source "$HERE/lib.sh"
need_pwsh
[ -z "${TARGET_NICE:-}" ] || [ "${TARGET:-standalone}" = standalone ] || { echo "TARGET_NICE is for the standalone target server only (TARGET=$TARGET)"; exit 2; }
case "${HOSTS:-shared}" in
  shared) ;;
  split) [ "${TARGET:-standalone}" = standalone ] || { echo "HOSTS=split is for the standalone target server only (TARGET=$TARGET)"; exit 2; }
         [ "$(nproc)" -ge 2 ] || { echo "HOSTS=split needs two CPUs (nproc: $(nproc))"; exit 2; }
         case "${TOOL_CPU:-1}" in 0|1) ;; *) echo "TOOL_CPU is 0 (the source's CPU) or 1 (the target's), not '$TOOL_CPU'"; exit 2 ;; esac ;;
  *) echo "HOSTS is 'shared' (every process on every CPU) or 'split' (each end on a CPU of its own), not '$HOSTS'"; exit 2 ;;
esac

"$SHARED/servers.sh" start
build_module
dotnet build "$HERE/writer" -c Release -nologo -v quiet >> "$RES/build.log" 2>&1
WRITER="$HERE/writer/bin/Release/net10.0/benchwriter.dll"
STANDIN="$ROOT/tools/MarketplaceMigration.ClusterStandIn/bin/Release/net10.0/MarketplaceMigration.ClusterStandIn.dll"
export MM_WRITER_SOURCE="Server=$BENCH_HOST;Port=$SRC_PORT;User ID=$BENCH_USER;Password=$BENCH_PASS;Database=$SRC_DB;Pooling=false"
TPORT=$DST_PORT; TDB=$DST_DB; TCNF=$DST_CNF
if [ "${TARGET:-standalone}" = galera ]; then
  source "$HERE/galera-lib.sh"
  log "starting a 3-node Galera cluster on 127.0.0.1:${GP[1]}-${GP[3]} as the target"
  galera_start
  TPORT=${GP[1]}; TDB=galera; TCNF=$GCNF
fi
tgt_sql() { mariadb --defaults-extra-file="$TCNF" "$@"; }
if [ -n "${TARGET_NICE:-}" ]; then   # every thread: nice is per thread on Linux; new threads inherit it from their maker
  tpid=$(cat "$BENCH_DATA/dst/data/mysqld.pid")
  for task in /proc/"$tpid"/task/*; do renice -n "$TARGET_NICE" -p "${task##*/}" > /dev/null; done
  log "target server (pid $tpid) at nice $TARGET_NICE"
fi
MOVER=("$PWSH"); [ -z "${TOOL_NICE:-}" ] || MOVER=(nice -n "$TOOL_NICE" "$PWSH")
ON_SOURCE=(); ON_TARGET=()
pin_servers() {  # pin_servers SRC_CPUS DST_CPUS: every thread of each standalone server (new threads inherit from their maker)
  taskset -a -cp "$1" "$(cat "$BENCH_DATA/src/data/mysqld.pid")" > /dev/null
  taskset -a -cp "$2" "$(cat "$BENCH_DATA/dst/data/mysqld.pid")" > /dev/null
}
unpin_servers() {  # with HOSTS=split, both servers back on every CPU (the shared servers outlive this run)
  local all="0-$(( $(nproc) - 1 ))"
  [ "${HOSTS:-shared}" = shared ] || pin_servers "$all" "$all"
}
if [ "${HOSTS:-shared}" = split ]; then
  ON_SOURCE=(taskset -c 0); ON_TARGET=(taskset -c 1)
  MOVER=(taskset -c "${TOOL_CPU:-1}" "${MOVER[@]}")
fi
export MM_WRITER_TARGET="Server=$BENCH_HOST;Port=$TPORT;User ID=$BENCH_USER;Password=$BENCH_PASS;Database=$TDB;Pooling=false"

CASCADE_DDL="CREATE TABLE flyokai_bench_parent (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL) ENGINE=InnoDB;
CREATE TABLE flyokai_bench_child (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id BIGINT NOT NULL, v INT NOT NULL, KEY (parent_id),
  CONSTRAINT fk_bench_child FOREIGN KEY (parent_id) REFERENCES flyokai_bench_parent (id) ON DELETE CASCADE) ENGINE=InnoDB;"
TABLES=""
rename() {  # rename DB FROM_PREFIX TO_PREFIX (the dataset's tables)
  local db=$1 from=$2 to=$3 sql="" t
  for t in $TABLES; do sql="$sql, \`$from$t\` TO \`$to$t\`"; done
  src_sql "$db" -e "RENAME TABLE ${sql#, }"
}
reset_dst() {
  tgt_sql -e "DROP DATABASE IF EXISTS \`$TDB\`; CREATE DATABASE \`$TDB\`"
  sed -E 's/`(sbtest[0-9]+|nasty)`/`flyokai_\1`/g' "$BENCH_WORK/schema.sql" | tgt_sql "$TDB"
  tgt_sql "$TDB" -e "$CASCADE_DDL"
}
shop_on() {
  rename "$SRC_DB" "" flyokai_
  src_sql "$SRC_DB" -e "DROP TABLE IF EXISTS flyokai_bench_child, flyokai_bench_parent; $CASCADE_DDL
    INSERT INTO flyokai_bench_parent (name) SELECT CONCAT('p', seq) FROM seq_1_to_20000;
    INSERT INTO flyokai_bench_child (parent_id, v) SELECT p.id, s.seq FROM flyokai_bench_parent p JOIN seq_1_to_5 s;
    CREATE TABLE IF NOT EXISTS system_config (id BINARY(16) NOT NULL PRIMARY KEY, configuration_key VARCHAR(255) NOT NULL, configuration_value JSON NOT NULL, sales_channel_id BINARY(16) NULL, created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NULL, UNIQUE KEY uniq (configuration_key, sales_channel_id));
    DELETE FROM system_config; INSERT INTO system_config VALUES (UNHEX(REPLACE(UUID(),'-','')), 'FlyokaiMarketplaceRemote.config.dataLocation', '{\"_value\":\"shopware\"}', NULL, NOW(3), NULL)"
}
shop_off() { src_sql "$SRC_DB" -e "DROP TABLE IF EXISTS flyokai_bench_child, flyokai_bench_parent, system_config"; rename "$SRC_DB" flyokai_ ""; }
reset_selectors() {
  rm -rf "$SHOP/var"
  sed -i 's/"active":"cluster"/"active":"shopware"/' "$SHOP/cluster/flyok.config.json"
  src_sql "$SRC_DB" -e "UPDATE system_config SET configuration_value = '{\"_value\":\"shopware\"}' WHERE configuration_key LIKE '%dataLocation'; DELETE FROM system_config WHERE configuration_key LIKE '%maintenance'"
}

SHOP=$RES/shop; mkdir -p "$SHOP/bin" "$SHOP/cluster"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "DATABASE_URL=mysql://$BENCH_USER:$BENCH_PASS@$BENCH_HOST:$SRC_PORT/$SRC_DB" > "$SHOP/.env"
cat > "$SHOP/cluster/flyok.config.json" <<JSON
{"db":{"connection":{"active":"shopware",
  "shopware":{"hostname":"$BENCH_HOST","port":$SRC_PORT,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$SRC_DB"},
  "cluster":{"hostname":"$BENCH_HOST","port":$TPORT,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$TDB"}}}}
JSON
nohup "${ON_TARGET[@]}" dotnet "$STANDIN" serve --config "$SHOP/cluster/flyok.config.json" --port "$PORT" > "$RES/standin.log" 2>&1 &
STANDIN_PID=$!
trap 'unpin_servers; [ -z "${TARGET_NICE:-}" ] || for task in /proc/"$tpid"/task/*; do renice -n 0 -p "${task##*/}" > /dev/null; done; [ "${TARGET:-standalone}" != galera ] || galera_stop; kill $STANDIN_PID 2>/dev/null || true; touch "$RES/writer.stop"; [ "$(src_sql "$SRC_DB" -N -e "SHOW TABLES LIKE '"'"'flyokai_sbtest1'"'"'" 2>/dev/null)" = "" ] || shop_off' EXIT

printf 'size_rows\tmode\ttotal_s\tfreeze_s\tmax_blocked_s\tbaseline_p50_ms\tbaseline_p95_ms\tcopy_p95_ms\tcopy_live_p95_ms\tcatch_up_p95_ms\twrites\n' > "$RES/online.tsv"
PAR_JSON=""; [ -z "${PARALLELISM:-}" ] || PAR_JSON=", \"parallelism\": $PARALLELISM"
PAR_JSON="$PAR_JSON${EXTRA_PROFILE:-}"   # e.g. EXTRA_PROFILE=', "deferIndexes": false'

for size in $SIZES; do
  rows=${size%:*}; nasty=${size#*:}
  log "dataset: 8 x $rows sysbench rows + $nasty nasty rows"
  purge_binlogs
  "$SHARED/load-dataset.sh" "$rows" 8 "$nasty" > "$RES/load-$rows.log" 2>&1
  TABLES=$(cut -f1 "$BENCH_WORK/dataset.tsv" | grep -v '^table$' | grep -v '^TOTAL$')
  total_rows=$(( $(awk '{s+=$2} END{print s}' "$BENCH_WORK/dataset.tsv") + 120000 ))
  shop_on
  if [ "${HOSTS:-shared}" = split ]; then pin_servers 0 1; log "split hosts: source and writer on CPU 0, target on CPU 1, our pwsh on CPU ${TOOL_CPU:-1}"; fi
  TLIST=$(for t in $TABLES; do printf '"flyokai_%s",' "$t"; done)'"flyokai_bench_parent","flyokai_bench_child"'
  cat > "$SHOP/profile.json" <<JSON
{ "clusterConfigPath": "cluster/flyok.config.json", "tables": [$TLIST], "restartCommand": "true", "smokeCommand": "true",
  "channelPort": $PORT, "timeouts": { "drainSeconds": 10 }$PAR_JSON }
JSON
  for mode in ${MODES:-offline online}; do
    reset_selectors
    reset_dst
    quiesce "$SRC_CNF" "$TCNF"   # the previous move's and the reset's dirty pages are flushed before the writer's baseline begins
    flag=""; [ "$mode" = online ] && flag="-Online"
    rm -f "$RES/writer.stop"
    "${ON_SOURCE[@]}" dotnet "$WRITER" --rate "$RATE" --rows "$rows" --stop "$RES/writer.stop" > "$RES/writer-$rows-$mode.tsv" 2> "$RES/writer-$rows-$mode.err" &
    WRITER_PID=$!
    sleep "$BASELINE"
    log "$mode move of $total_rows rows under $RATE tx/s"
    t0=$(date +%s.%N)
    "${MOVER[@]}" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'; Start-DataMigration -To Cluster -ShopwareRoot '$SHOP' -ProfilePath '$SHOP/profile.json' -Force $flag | Format-Table -AutoSize Number, Step, Status, Seconds, Summary | Out-String -Width 250" > "$RES/move-$rows-$mode.log" 2>&1 || log "the $mode move failed: see $RES/move-$rows-$mode.log"
    t1=$(date +%s.%N)
    sleep 5
    touch "$RES/writer.stop"; wait "$WRITER_PID" || true
    cp "$SHOP/var/marketplace/migration.state" "$RES/state-$rows-$mode.json"
    python3 - "$RES/state-$rows-$mode.json" "$RES/writer-$rows-$mode.tsv" "$t0" "$t1" "$total_rows" "$mode" >> "$RES/online.tsv" <<'PY'
import json, sys
from datetime import datetime
state, writer, t0, t1, rows, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
s = json.load(open(state))
def ts(v): return datetime.fromisoformat(v.replace('Z', '+00:00')).timestamp()
steps = {x['name']: x for x in s['steps']}
gate = ts(steps['clear_maintenance']['finishedAt']) - ts(steps['set_maintenance']['startedAt'])
freeze = gate - steps['restart_cluster']['durationSeconds'] - steps['smoke_test']['durationSeconds']
copy = [steps[n] for n in ('copy_live', 'catch_up') if n in steps]
lo, hi = (ts(copy[0]['startedAt']), ts(copy[-1]['finishedAt'])) if copy else (0, 0)
win = {n: (ts(steps[n]['startedAt']), ts(steps[n]['finishedAt'])) for n in ('copy_live', 'catch_up') if n in steps}
phase = {n: [] for n in win}
base, during, blocked, writes = [], [], [0.0], 0
for line in open(writer):
    at, ms, kind = line.rstrip('\n').split('\t')
    at, ms = float(at) / 1000, float(ms)
    if kind == 'blocked': blocked.append(ms / 1000); continue
    writes += 1
    if at < t0: base.append(ms)
    elif lo <= at < hi: during.append(ms)
    for n, (a, b) in win.items():
        if a <= at < b: phase[n].append(ms)
def p(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(-(-q * len(v) // 100)) - 1))] if v else float('nan')
print(f"{rows}\t{mode}\t{t1 - t0:.2f}\t{freeze:.2f}\t{max(blocked):.2f}\t{p(base, 50):.2f}\t{p(base, 95):.2f}\t{p(during, 95):.2f}\t{p(phase.get('copy_live', []), 95):.2f}\t{p(phase.get('catch_up', []), 95):.2f}\t{writes}")
PY
    tail -n 1 "$RES/online.tsv" | tee -a "$RES/run.log"
  done
  unpin_servers   # the next size's load uses every CPU
  shop_off
done
purge_binlogs
log "done: $RES"
column -t "$RES/online.tsv" | tee "$RES/summary.txt"
