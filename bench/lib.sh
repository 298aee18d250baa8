# Shared by the bench scripts: source it after setting HERE and ROOT. It sources the shared anchor harness's
# env.sh, makes RES, and gives log, quiesce, timed and the real pwsh ($PWSH, $MODULE).
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
[ -f "$SHARED/env.sh" ] || { echo "the shared anchor harness is not at $SHARED (set SHARED_BENCH)"; exit 2; }
source "$SHARED/env.sh"
REPS=${REPS:-1}
mkdir -p "$RES"
log() { echo "[$(date +%T)] $*" | tee -a "$RES/run.log"; }
PWSH=${PWSH:-$(command -v pwsh || echo "$ROOT/TestResults/tools/pwsh")}
MODULE="$ROOT/out/MarketplaceMigration/MarketplaceMigration.psd1"
need_pwsh() { [ -x "$PWSH" ] || { echo "pwsh is not installed: dotnet tool install --global PowerShell --version 7.6.9 (or set PWSH)"; exit 2; }; }
build_module() {  # the module as shipped (Release: ReadyToRun on Linux x64) and the stand-in cluster
  log "building the module and the stand-in (Release)"
  dotnet build "$ROOT/src/MarketplaceMigration.PowerShell" -c Release -nologo -v quiet > "$RES/build.log" 2>&1
  dotnet build "$ROOT/tools/MarketplaceMigration.ClusterStandIn" -c Release -nologo -v quiet >> "$RES/build.log" 2>&1
}

# quiesce [CNF...]: the servers flush their dirty pages first (the shared harness does the same before every
# peer's measurement), so no measurement is billed for the previous one's background writes. Default: src and dst.
quiesce() {
  local c i d cnfs=("$@")
  [ ${#cnfs[@]} -gt 0 ] || cnfs=("$SRC_CNF" "$DST_CNF")
  for c in "${cnfs[@]}"; do mariadb --defaults-extra-file="$c" -e "SET GLOBAL innodb_max_dirty_pages_pct=0"; done
  for i in $(seq 1 120); do
    d=0
    for c in "${cnfs[@]}"; do d=$(( d + $(mariadb --defaults-extra-file="$c" -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2) )); done
    [ "$d" -lt 200 ] && break
    sleep 1
  done
  for c in "${cnfs[@]}"; do mariadb --defaults-extra-file="$c" -e "SET GLOBAL innodb_max_dirty_pages_pct=90"; done
}

# purge_binlogs: the source's binary logs (the shared harness runs it with log_bin ON, as a CDC tool needs) go,
# all but the one being written: every dataset load and every move under the writer logs its rows again, and
# a day of runs filled the disk with 66 GB of them. Nothing here reads them.
purge_binlogs() {
  mariadb --defaults-extra-file="$SRC_CNF" -e "FLUSH BINARY LOGS; PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 MINUTE"
}

# timed TSV NAME REP COMMAND...: runs the command once (its output in $RES/NAME-REP.log) and appends
# "NAME REP wall_s peak_rss_MiB rc cpu_s" to TSV: peak RSS and CPU seconds (user + system) are the process's
# (for pwsh: ours, in process; the servers' CPU is not in it).
timed() {
  local tsv=$1 name=$2 rep=$3 t0 t1 rc
  shift 3
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -f '%M %U %S' -o "$RES/rss.txt" "$@" > "$RES/$name-$rep.log" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  read -r kb user sys < <(tail -1 "$RES/rss.txt")
  printf '%s\t%s\t%.3f\t%.0f\t%s\t%.2f\n' "$name" "$rep" "$(echo "$t1 - $t0" | bc)" "$(echo "$kb / 1024" | bc -l)" "$rc" "$(echo "$user + $sys" | bc)" \
    | tee -a "$tsv"
}

# small_shop: the demo's data plane (200 sellers and the type probe) as the test rig's Shopware-like root on the two
# servers, made by mmhost (passwords through the environment only); sets SHOP_ROOT, PROFILE, SW_DB, CL_DB, TABLES,
# CLUSTER_CONFIG and PIDFILE (the stand-in cluster), with settled statistics (ANALYZE), as a shop that has served a while.
small_shop() {
  dotnet build "$ROOT/tools/MarketplaceMigration.Host" -c Release -nologo -v quiet >> "$RES/build.log" 2>&1
  log "loading the demo's data plane"
  local mmhost="$ROOT/tools/MarketplaceMigration.Host/bin/Release/net10.0/mmhost.dll"
  eval "$(MM_TEST_SHOPWARE="Server=$BENCH_HOST;Port=$SRC_PORT;User ID=$BENCH_USER;Password=$BENCH_PASS" \
    MM_TEST_CLUSTER="Server=$BENCH_HOST;Port=$DST_PORT;User ID=$BENCH_USER;Password=$BENCH_PASS" dotnet "$mmhost" small-shop)"
  # The copy takes the largest tables first by the server's DATA_LENGTH, which a freshly loaded table may not show yet.
  src_sql -N "$SW_DB" -e "ANALYZE TABLE $(echo $TABLES | sed 's/ /, /g')" > /dev/null
}
