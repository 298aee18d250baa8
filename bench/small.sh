#!/usr/bin/env bash
# The small shop (issue 19): the demo's data plane (200 sellers and the type probe: about 12 k rows in 23 tables)
# on the shared harness's two servers, moved by this module and by mydumper + myloader in the same run, taking turns.
#
#   ours   Start-DataMigration -To Cluster through real pwsh (process start and Import-Module included), then its
#          state read back (untimed): import_tables' own time, and the run's wall time less restart_cluster and
#          smoke_test (the cluster's own restart is not ours to speed up); Copy-DataPlane alone; and pwsh starting
#          and importing the module, doing nothing else (the floor of any command).
#   peers  mydumper -t4 (--trx-consistency-only --no-schemas, as the shared harness runs it) of the 23 tables, then
#          myloader -t4 into an empty copy of their schema on the other server.
#
# usage: bench/small.sh     (REPS=5 RES=<dir> override)
# needs: what bench/run.sh needs (mariadb-server, mydumper, the .NET SDK, pwsh 7.6.9, the shared anchor harness)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RES=${RES:-/tmp/mm-small-$(date +%Y%m%d-%H%M%S)}
REPS=${REPS:-5}
source "$HERE/lib.sh"
need_pwsh

"$SHARED/servers.sh" start
build_module
small_shop
PEER_DB="${CL_DB}_peer"
DUMP="$RES/mydumper"
cleanup() {  # KEEP=1 keeps the shop, the databases and the dump for a look
  [ -z "${KEEP:-}" ] || { log "kept: $SHOP_ROOT, $SW_DB, $CL_DB, $PEER_DB"; return 0; }
  [ ! -s "$PIDFILE" ] || kill "$(cat "$PIDFILE")" 2>/dev/null || true
  src_sql -e "DROP DATABASE IF EXISTS \`$SW_DB\`" || true
  dst_sql -e "DROP DATABASE IF EXISTS \`$CL_DB\`; DROP DATABASE IF EXISTS \`$PEER_DB\`" || true
  [ -n "${KEEP:-}" ] || rm -rf "$SHOP_ROOT" "$DUMP"
}
trap cleanup EXIT
ROWS=$(src_sql -N "$SW_DB" -e "SELECT SUM(n) FROM ($(for t in $TABLES; do printf 'SELECT COUNT(*) n FROM `%s` UNION ALL ' "$t"; done | sed 's/ UNION ALL $//')) x")
log "shop: $SHOP_ROOT, $(echo $TABLES | wc -w) tables, $ROWS rows, $SW_DB on :$SRC_PORT, $CL_DB on :$DST_PORT"
mariadb-dump --defaults-extra-file="$SRC_CNF" --no-data --skip-add-drop-table "$SW_DB" $TABLES > "$RES/schema.sql"

TSV=$RES/small.tsv
printf 'method\trep\twall_s\tpeak_rss_MiB\trc\tcpu_s\n' > "$TSV"
P="-ShopwareRoot '$SHOP_ROOT' -ProfilePath '$PROFILE'"
pwsh_run() { "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'; $1"; }
back_to_shopware() {   # the data lives on Shopware again, no run in the state, the cluster's tables empty (a first move, as the peers load into an empty schema)
  rm -rf "$SHOP_ROOT/var"
  dst_sql "$CL_DB" -e "SET foreign_key_checks = 0; $(for t in $TABLES; do printf 'TRUNCATE `%s`; ' "$t"; done)"
  sed -i -E 's/"active": *"cluster"/"active": "shopware"/' "$CLUSTER_CONFIG"
  src_sql "$SW_DB" -e "UPDATE system_config SET configuration_value = '{\"_value\":\"shopware\"}' WHERE configuration_key LIKE '%config.dataLocation';
    UPDATE system_config SET configuration_value = '{\"_value\":false}' WHERE configuration_key LIKE '%config.maintenance'"
}
same() {  # same DB_ON_DST [peer]: CHECKSUM TABLE of every table equal on both servers (untimed); ours must be, a peer's is noted
  local t bad=""
  for t in $TABLES; do
    [ "$(src_sql -N "$SW_DB" -e "CHECKSUM TABLE \`$t\`" | cut -f2)" = "$(dst_sql -N "$1" -e "CHECKSUM TABLE \`$t\`" | cut -f2)" ] || bad="$bad $t"
  done
  [ -z "$bad" ] && return 0
  log "!! $1 differs from $SW_DB:$bad"
  [ "${2:-}" = peer ] && echo "$bad" >> "$RES/peer-differs.txt" || exit 1
}

ours_rep() {
  local rep=$1
  back_to_shopware; quiesce
  timed "$TSV" ten-steps "$rep" "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'; Start-DataMigration -To Cluster $P -Force"
  pwsh_run "(Get-MigrationState -ShopwareRoot '$SHOP_ROOT').Steps | ForEach-Object { \"step:\$(\$_.Step)\`t$rep\`t\$(\$_.DurationSeconds)\" }" \
    | sed -n 's/^step://p' >> "$RES/steps.tsv"
  same "$CL_DB"
  back_to_shopware; quiesce
  timed "$TSV" copy "$rep" "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'; Copy-DataPlane -To Cluster $P -AllowLiveSource -Force | Out-Null"
  same "$CL_DB"
  quiesce
  timed "$TSV" pwsh-import "$rep" "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE'"
}
peers_rep() {
  local rep=$1
  dst_sql -e "DROP DATABASE IF EXISTS \`$PEER_DB\`; CREATE DATABASE \`$PEER_DB\`"
  dst_sql "$PEER_DB" < "$RES/schema.sql"
  rm -rf "$DUMP"; quiesce
  timed "$TSV" mydumper "$rep" mydumper --defaults-file="$SRC_CNF" -h "$BENCH_HOST" -P "$SRC_PORT" -B "$SW_DB" -T "$(echo $TABLES | tr " " ,)" \
    -o "$DUMP" -t 4 --trx-consistency-only --no-schemas -v 2
  quiesce
  timed "$TSV" myloader "$rep" myloader --defaults-file="$DST_CNF" -h "$BENCH_HOST" -P "$DST_PORT" -B "$PEER_DB" -d "$DUMP" -t 4 -v 2
  same "$PEER_DB" peer
}
printf 'step\trep\tseconds\n' > "$RES/steps.tsv"
for rep in $(seq 1 "$REPS"); do
  log "rep $rep"
  if [ $((rep % 2)) = 1 ]; then peers_rep "$rep"; ours_rep "$rep"; else ours_rep "$rep"; peers_rep "$rep"; fi
done
log "done: $RES"
python3 "$HERE/summarize-small.py" "$RES" "$ROWS" "$(echo $TABLES | wc -w)" | tee "$RES/summary.md"
