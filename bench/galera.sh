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
if [ ! -s "$BENCH_WORK/dataset.tsv" ] || [ "${RELOAD:-0}" = 1 ]; then "$SHARED/load-dataset.sh" "${ROWS:-250000}" 8 "${NASTY:-100000}"; fi
build_module
STANDIN="$ROOT/tools/MarketplaceMigration.ClusterStandIn/bin/Release/net10.0/MarketplaceMigration.ClusterStandIn.dll"

# --- a 3-node Galera cluster on loopback, as the test rig starts one (docs/galera.md) ---
G=$BENCH_DATA/galera; GP=(0 3321 3322 3323); GM=(0 4421 4422 4423); GI=(0 4431 4432 4433); GS=(0 4441 4442 4443)
GCNF="$BENCH_DATA/client-galera.cnf"
galera_stop() { pkill -9 -f "$G/n" 2>/dev/null || true; }
galera_start() {
  galera_stop; sleep 1; rm -rf "$G"; mkdir -p "$G"; chmod 755 "$G"
  local i; for i in 1 2 3; do mkdir -p "$G/n$i/data" "$G/n$i/tmp"; done; chown -R mysql:mysql "$G"
  mariadb-install-db --no-defaults --datadir="$G/n1/data" --user=mysql --auth-root-authentication-method=socket --skip-test-db > "$RES/galera-install.log" 2>&1
  local peers="gcomm://127.0.0.1:${GM[1]},127.0.0.1:${GM[2]},127.0.0.1:${GM[3]}"
  node() {
    local i=$1; shift
    setsid nohup mariadbd --no-defaults --user=mysql --datadir="$G/n$i/data" --tmpdir="$G/n$i/tmp" --port="${GP[$i]}" --bind-address=127.0.0.1 \
      --socket="$G/n$i/s.sock" --pid-file="$G/n$i/pid" --log-error="$G/n$i/error.log" --skip-name-resolve \
      --innodb-buffer-pool-size="${GALERA_POOL:-1G}" --innodb-log-file-size=512M --innodb-flush-log-at-trx-commit=2 --local-infile=1 \
      --max-allowed-packet=256M --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --secure-file-priv=/tmp \
      --wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so --wsrep-cluster-address="$peers" --wsrep-cluster-name=mm-bench \
      --wsrep-node-name="n$i" --wsrep-node-address="127.0.0.1:${GM[$i]}" --wsrep-node-incoming-address="127.0.0.1:${GP[$i]}" \
      --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${GM[$i]};ist.recv_addr=127.0.0.1:${GI[$i]};base_port=${GM[$i]}" \
      --wsrep-sst-receive-address="127.0.0.1:${GS[$i]}" --wsrep-sst-method=rsync --binlog-format=ROW --innodb-autoinc-lock-mode=2 \
      "$@" > /dev/null 2>&1 < /dev/null &
  }
  synced() { [ "$(mariadb --no-defaults -S "$G/n$1/s.sock" -uroot -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ]; }
  node 1 --wsrep-new-cluster
  for _ in $(seq 1 120); do synced 1 && break; sleep 1; done
  mariadb --no-defaults -S "$G/n1/s.sock" -uroot -e "CREATE USER '$BENCH_USER'@'127.0.0.1' IDENTIFIED BY '$BENCH_PASS'; GRANT ALL ON *.* TO '$BENCH_USER'@'127.0.0.1' WITH GRANT OPTION"
  for i in 2 3; do node "$i"; for _ in $(seq 1 180); do synced "$i" && break; sleep 1; done; synced "$i" || { echo "galera node $i did not sync"; exit 1; }; done
  printf '[client]\nhost=127.0.0.1\nport=%s\nuser=%s\npassword=%s\ndefault-character-set=utf8mb4\n' "${GP[1]}" "$BENCH_USER" "$BENCH_PASS" > "$GCNF"
  chmod 600 "$GCNF"
}
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
