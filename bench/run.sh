#!/usr/bin/env bash
# Side-by-side benchmark, one run, same machine, same two MariaDB servers, same dataset:
#   the peers (through the shared anchor harness: the seed's mysqldump file + import, mydumper/myloader
#   -t4, the LOAD DATA INFILE floor, CHECKSUM TABLE and pt-table-sync) and this module: Copy-DataPlane
#   (steps 3-4), Test-DataIntegrity (step 5, every row), and the whole ten-step Start-DataMigration,
#   each with the peak memory of the process; the two take turns, one repetition at a time.
#
# usage: bench/run.sh            (ROWS=250000 NASTY=100000 REPS=1 RES=<dir> override; PEERS_FROM=<dir>/peers reuses a run's peers,
#                                  PEERS=0 runs ours only (the scale runs); RELOAD=1 loads the dataset again at ROWS/NASTY;
#                                  PARALLELISM=<n> and DEFER_INDEXES=1 set the profile's parallelism and deferIndexes;
#                                  HOST=pwshhost or HOST=mmhost measures through bench/pwshhost or the test host instead of real pwsh;
#                                  PERF=1 instead profiles one Copy-DataPlane with perf (linux-perf) and prints where our process's CPU went)
# needs: mariadb-server, sysbench, mydumper, percona-toolkit (Debian packages), the .NET SDK, pwsh 7.6.9
#        (dotnet tool install --global PowerShell --version 7.6.9, or .ci/run's TestResults/tools), and the
#        shared anchor harness (SHARED_BENCH, default ../shared/bench beside this repository).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RES=${RES:-/tmp/mm-bench-$(date +%Y%m%d-%H%M%S)}
source "$HERE/lib.sh"

"$SHARED/servers.sh" start
purge_binlogs
if [ ! -s "$BENCH_WORK/dataset.tsv" ] || [ "${RELOAD:-0}" = 1 ]; then "$SHARED/load-dataset.sh" "${ROWS:-250000}" 8 "${NASTY:-100000}"; fi

# Our Shopware-like root adds system_config to src; the peers must see only the dataset.
src_sql "$SRC_DB" -e "DROP TABLE IF EXISTS system_config"
if [ -n "${PEERS_FROM:-}" ]; then
  log "peers: reusing $PEERS_FROM (a quick iteration; RESULTS.md figures come from full runs)"; cp -r "$PEERS_FROM" "$RES/peers"
fi

# Ours run the way a user runs them: real pwsh 7.6.9 importing the staged module (out/MarketplaceMigration,
# as shipped: ReadyToRun on Linux x64, its dependencies in their own load context). HOST=pwshhost measures
# through bench/pwshhost (the PowerShell engine published ReadyToRun, which earlier sessions used when pwsh
# was not installable); HOST=mmhost through the repository's test host, whose NuGet PowerShell engine is IL
# only and JIT-compiles itself at every start (~0.8 s).
build_module
dotnet build "$ROOT/tools/MarketplaceMigration.Host" -c Release -nologo -v quiet >> "$RES/build.log" 2>&1
if [ "${HOST:-pwsh}" = pwshhost ]; then
  dotnet publish "$HERE/pwshhost" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$RES/pwshhost" -nologo -v quiet >> "$RES/build.log" 2>&1
fi
MMHOST="$ROOT/tools/MarketplaceMigration.Host/bin/Release/net10.0/mmhost.dll"
STANDIN="$ROOT/tools/MarketplaceMigration.ClusterStandIn/bin/Release/net10.0/MarketplaceMigration.ClusterStandIn.dll"
IMPORT=""
case "${HOST:-pwsh}" in
  mmhost) OURS=(dotnet "$MMHOST" -c) ;;
  pwshhost) OURS=("$RES/pwshhost/pwshhost" -m "$ROOT/out/MarketplaceMigration/MarketplaceMigration.psd1" -c) ;;
  *) need_pwsh; OURS=("$PWSH" -NoProfile -NonInteractive -Command); IMPORT="Import-Module '$MODULE'; " ;;
esac
log "ours through: ${OURS[*]}"

# The module moves flyokai_* tables only: the benchmark tables get that prefix for its runs.
TABLES=$(cut -f1 "$BENCH_WORK/dataset.tsv" | grep -v '^table$' | grep -v '^TOTAL$')
rename() {  # rename DB FROM_PREFIX TO_PREFIX
  local db=$1 from=$2 to=$3 sql="" t
  for t in $TABLES; do sql="$sql, \`$from$t\` TO \`$to$t\`"; done
  mariadb --defaults-extra-file="$BENCH_DATA/client-$( [ "$db" = "$SRC_DB" ] && echo src || echo dst).cnf" "$db" -e "RENAME TABLE ${sql#, }"
}
reset_dst() {
  dst_sql -e "DROP DATABASE IF EXISTS \`$DST_DB\`; CREATE DATABASE \`$DST_DB\`"
  sed -E 's/`(sbtest[0-9]+|nasty)`/`flyokai_\1`/g' "$BENCH_WORK/schema.sql" | dst_sql "$DST_DB"
}

# A Shopware-like root around the two servers: DATABASE_URL to src, system_config, the cluster
# file naming dst, a listener on the channel port (the stand-in), restart and smoke commands that
# do nothing (the cluster's own behaviour is not what is measured).
SHOP=$RES/shop; mkdir -p "$SHOP/bin" "$SHOP/cluster"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "DATABASE_URL=mysql://$BENCH_USER:$BENCH_PASS@$BENCH_HOST:$SRC_PORT/$SRC_DB" > "$SHOP/.env"
cat > "$SHOP/cluster/flyok.config.json" <<JSON
{"db":{"connection":{"active":"shopware",
  "shopware":{"hostname":"$BENCH_HOST","port":$SRC_PORT,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$SRC_DB"},
  "cluster":{"hostname":"$BENCH_HOST","port":$DST_PORT,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$DST_DB"}}}}
JSON
PAR_JSON=""; [ -z "${PARALLELISM:-}" ] || PAR_JSON=", \"parallelism\": $PARALLELISM"
[ -z "${DEFER_INDEXES:-}" ] || PAR_JSON="$PAR_JSON, \"deferIndexes\": true"
TLIST=$(for t in $TABLES; do printf '"flyokai_%s",' "$t"; done); TLIST=${TLIST%,}
cat > "$SHOP/profile.json" <<JSON
{ "clusterConfigPath": "cluster/flyok.config.json", "tables": [$TLIST], "restartCommand": "true", "smokeCommand": "true",
  "channelPort": $PORT, "timeouts": { "drainSeconds": 10 }$PAR_JSON }
JSON
shop_on() {   # the source as our runs see it: flyokai_ tables and system_config (the peers see neither)
  rename "$SRC_DB" "" flyokai_
  src_sql "$SRC_DB" -e "CREATE TABLE IF NOT EXISTS system_config (id BINARY(16) NOT NULL PRIMARY KEY, configuration_key VARCHAR(255) NOT NULL, configuration_value JSON NOT NULL, sales_channel_id BINARY(16) NULL, created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NULL, UNIQUE KEY uniq (configuration_key, sales_channel_id));
  DELETE FROM system_config; INSERT INTO system_config VALUES (UNHEX(REPLACE(UUID(),'-','')), 'FlyokaiMarketplaceRemote.config.dataLocation', '{\"_value\":\"shopware\"}', NULL, NOW(3), NULL)"
}
shop_off() { rename "$SRC_DB" flyokai_ ""; src_sql "$SRC_DB" -e "DROP TABLE IF EXISTS system_config"; }
nohup dotnet "$STANDIN" serve --config "$SHOP/cluster/flyok.config.json" --port "$PORT" > "$RES/standin.log" 2>&1 &
STANDIN_PID=$!
trap 'kill $STANDIN_PID 2>/dev/null || true; [ "$(src_sql "$SRC_DB" -N -e "SHOW TABLES LIKE '"'"'flyokai_sbtest1'"'"'")" = "" ] || shop_off' EXIT

ROWS_TOTAL=$(awk '{s+=$2} END{print s}' "$BENCH_WORK/dataset.tsv")
printf 'method\trep\twall_s\tpeak_rss_MiB\trc\tcpu_s\n' > "$RES/ours.tsv"
ours() { quiesce; timed "$RES/ours.tsv" "$1" "$2" "${OURS[@]}" "$IMPORT$3"; }  # ours NAME REP SCRIPT
P="-ShopwareRoot '$SHOP' -ProfilePath '$SHOP/profile.json'"
reset_selectors() {   # back to "the data lives in src" (a finished ten-step run left them on the cluster)
  rm -rf "$SHOP/var"
  sed -i 's/"active":"cluster"/"active":"shopware"/' "$SHOP/cluster/flyok.config.json"
  src_sql "$SRC_DB" -e "UPDATE system_config SET configuration_value = '{\"_value\":\"shopware\"}' WHERE configuration_key LIKE '%dataLocation'; DELETE FROM system_config WHERE configuration_key LIKE '%maintenance'"
}
ours_rep() {
  local rep=$1
  shop_on
  reset_selectors
  reset_dst
  log "ours: Copy-DataPlane (rep $rep)"
  ours copy "$rep" "Copy-DataPlane -To Cluster $P -AllowLiveSource -Force"
  log "ours: Test-DataIntegrity, every row (rep $rep)"
  ours verify "$rep" "Test-DataIntegrity $P | ForEach-Object { if (-not \$_.Equal) { throw \"\$(\$_.Table) differs\" } }"
  log "ours: Copy-DataPlane with DOTNET_TieredPGO=0 (rep $rep)"
  reset_dst
  DOTNET_TieredPGO=0 ours copy-pgo-off "$rep" "Copy-DataPlane -To Cluster $P -AllowLiveSource -Force"
  log "ours: Start-DataMigration -To Cluster, ten steps (rep $rep)"
  reset_selectors
  reset_dst
  ours ten-steps "$rep" "Start-DataMigration -To Cluster $P -Force"
  shop_off
}
peers_rep() {
  [ -z "${PEERS_FROM:-}" ] && [ "${PEERS:-1}" = 1 ] || return 0
  log "peers: shared anchor harness, rep $1"
  RES="$RES/peers" REPS=1 REP0=$1 "$SHARED/run-anchors.sh" seed mydumper limits verify >> "$RES/run.log" 2>&1 || log "anchor harness exited $?"
}
# Peers and ours take turns, one repetition each, the order alternating (peers first in odd
# repetitions, ours first in even ones), so a machine that drifts over the minutes of a run (other
# tenants, the servers' own background work) does not favour whoever is measured first.
if [ "${PERF:-0}" = 1 ]; then
  # Where our process's CPU goes during one copy, by thread and by code (JIT'd methods named through the runtime's perf map).
  command -v perf > /dev/null || { echo "perf is not installed: apt-get install -y linux-perf"; exit 2; }
  shop_on; reset_selectors; reset_dst; quiesce
  log "ours: Copy-DataPlane under perf record"
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 999 -g -o "$RES/perf.data" -- "${OURS[@]}" \
    "${IMPORT}Copy-DataPlane -To Cluster $P -AllowLiveSource -Force | Out-Null" > "$RES/perf.log" 2>&1
  shop_off
  { echo "# by thread"; perf report -i "$RES/perf.data" --no-children --sort comm -q -g none
    echo "# by thread and code"; perf report -i "$RES/perf.data" --no-children --sort comm,dso -q -g none | sed -n 1,25p
    echo "# the copy's threads, by method"; perf report -i "$RES/perf.data" --no-children --comm ".NET Long Runni" --sort sym -q -g none | sed -n 1,30p
  } 2> /dev/null | tee "$RES/perf.txt"
  exit 0
fi
for rep in $(seq 1 "$REPS"); do
  if [ $((rep % 2)) = 1 ]; then peers_rep "$rep"; ours_rep "$rep"; else ours_rep "$rep"; peers_rep "$rep"; fi
done
log "done: $RES"
if [ -f "$RES/peers/raw.tsv" ]; then python3 "$HERE/summarize.py" "$RES" "$ROWS_TOTAL" | tee "$RES/summary.md"; else cat "$RES/ours.tsv"; fi
