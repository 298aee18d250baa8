#!/usr/bin/env bash
# The copy into a 3-node MariaDB Galera cluster beside the copy into one standalone server, in one run,
# on the same source and dataset (the shared anchor harness's src server and sbtest dataset), and the
# verification of every row: on the standalone server, and on every node of the Galera cluster.
# The Galera copy runs twice: with the secondary indexes deferred (dropped for the load, rebuilt by
# cluster-wide DDL, TOI) and kept in place, which is how the default for a Galera target was chosen.
#
# usage: bench/galera.sh     (REPS=1 RES=<dir> ROWS=250000 NASTY=100000 override; GALERA_POOL=1G per node)
# needs: mariadb-server, galera-4, rsync (Debian packages), the .NET SDK, pwsh 7.6.9, and the shared
#        anchor harness (SHARED_BENCH, default ../shared/bench beside this repository). Run as root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RES=${RES:-/tmp/mm-galera-$(date +%Y%m%d-%H%M%S)}
source "$HERE/lib.sh"
need_pwsh

"$SHARED/servers.sh" start
purge_binlogs
if [ ! -s "$BENCH_WORK/dataset.tsv" ] || [ "${RELOAD:-0}" = 1 ]; then "$SHARED/load-dataset.sh" "${ROWS:-250000}" 8 "${NASTY:-100000}"; fi
build_module
STANDIN="$ROOT/tools/MarketplaceMigration.ClusterStandIn/bin/Release/net10.0/MarketplaceMigration.ClusterStandIn.dll"

source "$HERE/galera-lib.sh"
log "starting a 3-node Galera cluster on 127.0.0.1:${GP[1]}-${GP[3]}"
galera_start
trap 'galera_stop; kill $STANDIN_PID 2>/dev/null || true; [ "$(src_sql "$SRC_DB" -N -e "SHOW TABLES LIKE '"'"'flyokai_sbtest1'"'"'")" = "" ] || shop_off' EXIT
STANDIN_PID=""

# --- the source as our runs see it, and two Shopware-like roots: one per target ---
TABLES=$(cut -f1 "$BENCH_WORK/dataset.tsv" | grep -v '^table$' | grep -v '^TOTAL$')
TLIST=$(for t in $TABLES; do printf '"flyokai_%s",' "$t"; done); TLIST=${TLIST%,}
rename_src() { local sql="" t; for t in $TABLES; do sql="$sql, \`$1$t\` TO \`$2$t\`"; done; src_sql "$SRC_DB" -e "RENAME TABLE ${sql#, }"; }
shop_on() {
  rename_src "" flyokai_
  src_sql "$SRC_DB" -e "CREATE TABLE IF NOT EXISTS system_config (id BINARY(16) NOT NULL PRIMARY KEY, configuration_key VARCHAR(255) NOT NULL, configuration_value JSON NOT NULL, sales_channel_id BINARY(16) NULL, created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NULL, UNIQUE KEY uniq (configuration_key, sales_channel_id));
  DELETE FROM system_config; INSERT INTO system_config VALUES (UNHEX(REPLACE(UUID(),'-','')), 'FlyokaiMarketplaceRemote.config.dataLocation', '{\"_value\":\"shopware\"}', NULL, NOW(3), NULL),
  (UNHEX(REPLACE(UUID(),'-','')), 'FlyokaiMarketplaceRemote.config.maintenance', '{\"_value\":true}', NULL, NOW(3), NULL)"
}
shop_off() { rename_src flyokai_ ""; src_sql "$SRC_DB" -e "DROP TABLE IF EXISTS system_config"; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
shop() {  # shop NAME PORT DB DEFER
  local dir=$RES/shop-$1; mkdir -p "$dir/bin" "$dir/cluster"
  echo "DATABASE_URL=mysql://$BENCH_USER:$BENCH_PASS@$BENCH_HOST:$SRC_PORT/$SRC_DB" > "$dir/.env"
  cat > "$dir/cluster/flyok.config.json" <<JSON
{"db":{"connection":{"active":"shopware",
  "shopware":{"hostname":"$BENCH_HOST","port":$SRC_PORT,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$SRC_DB"},
  "cluster":{"hostname":"$BENCH_HOST","port":$2,"username":"$BENCH_USER","password":"$BENCH_PASS","database":"$3"}}}}
JSON
  cat > "$dir/profile.json" <<JSON
{ "clusterConfigPath": "cluster/flyok.config.json", "tables": [$TLIST], "restartCommand": "true", "smokeCommand": "true",
  "channelPort": $PORT, "timeouts": { "drainSeconds": 10 }, "deferIndexes": $4 }
JSON
}
shop standalone "$DST_PORT" "$DST_DB" true
shop galera-deferred "${GP[1]}" galera true
shop galera-kept "${GP[1]}" galera false
nohup dotnet "$STANDIN" serve --config "$RES/shop-standalone/cluster/flyok.config.json" --port "$PORT" > "$RES/standin.log" 2>&1 &
STANDIN_PID=$!

schema() { sed -E 's/`(sbtest[0-9]+|nasty)`/`flyokai_\1`/g' "$BENCH_WORK/schema.sql"; }
reset_target() {  # reset_target standalone|galera
  if [ "$1" = standalone ]; then dst_sql -e "DROP DATABASE IF EXISTS \`$DST_DB\`; CREATE DATABASE \`$DST_DB\`"; schema | dst_sql "$DST_DB"
  else mariadb --defaults-extra-file="$GCNF" -e "DROP DATABASE IF EXISTS galera; CREATE DATABASE galera"; schema | mariadb --defaults-extra-file="$GCNF" galera; fi
}
printf 'method\trep\twall_s\tpeak_rss_MiB\trc\tcpu_s\n' > "$RES/galera.tsv"
ours() {  # ours NAME REP SHOP SCRIPT
  local name=$1 rep=$2 dir=$RES/shop-$3 script=$4
  quiesce "$SRC_CNF" "$DST_CNF" "$GCNF"
  local params="-ShopwareRoot '$dir' -ProfilePath '$dir/profile.json'"
  timed "$RES/galera.tsv" "$name" "$rep" "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'; ${script//@P/$params}"
}
CHECK='| ForEach-Object { if (-not $_.Equal) { throw "$($_.Table) differs" } }'
shop_on
for rep in $(seq 1 "$REPS"); do
  log "rep $rep: Copy-DataPlane into the standalone server"
  reset_target standalone; ours copy-standalone "$rep" standalone "Copy-DataPlane -To Cluster @P -AllowLiveSource -Force"
  log "rep $rep: Test-DataIntegrity, the standalone server"
  ours verify-standalone "$rep" standalone "Test-DataIntegrity -Source Shopware @P $CHECK"
  log "rep $rep: Copy-DataPlane into the Galera cluster, secondary indexes kept"
  reset_target galera; ours copy-galera-kept "$rep" galera-kept "Copy-DataPlane -To Cluster @P -AllowLiveSource -Force"
  log "rep $rep: Test-DataIntegrity, every node of the Galera cluster"
  ours verify-galera-3-nodes "$rep" galera-kept "Test-DataIntegrity -Source Shopware @P $CHECK"
  log "rep $rep: Copy-DataPlane into the Galera cluster, secondary indexes deferred (rebuilt by TOI DDL)"
  reset_target galera; ours copy-galera-deferred "$rep" galera-deferred "Copy-DataPlane -To Cluster @P -AllowLiveSource -Force"
done
shop_off
log "results: $RES/galera.tsv"
cat "$RES/galera.tsv"
