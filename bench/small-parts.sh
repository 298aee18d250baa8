#!/usr/bin/env bash
# Where the small shop's copy goes (issue 19): Copy-DataPlane of the demo's data plane (about 12 k rows in 23 tables)
# RUNS times in ONE pwsh process, at each copy parallelism in PARS, on the shared harness's two servers. The first
# copy of a process pays the JIT, the others show what is left per run once the code is compiled. Each table's own
# time (TableCopyResult.Seconds, from its worker's start to its end) is kept, so the slowest table, the one that
# decides the copy's length, is named with its time.
#
# usage: bench/small-parts.sh     (RUNS=5 PARS="1 2 4" RES=<dir> override)
# needs: what bench/small.sh needs (mariadb-server, the .NET SDK, pwsh 7.6.9, the shared anchor harness)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RES=${RES:-/tmp/mm-small-parts-$(date +%Y%m%d-%H%M%S)}
RUNS=${RUNS:-5}
PARS=${PARS:-"1 2 4"}
source "$HERE/lib.sh"
need_pwsh

"$SHARED/servers.sh" start
build_module
small_shop
cleanup() {
  [ ! -s "$PIDFILE" ] || kill "$(cat "$PIDFILE")" 2>/dev/null || true
  src_sql -e "DROP DATABASE IF EXISTS \`$SW_DB\`" || true
  dst_sql -e "DROP DATABASE IF EXISTS \`$CL_DB\`" || true
  rm -rf "$SHOP_ROOT"
}
trap cleanup EXIT
EMPTY="SET foreign_key_checks = 0; $(for t in $TABLES; do printf 'TRUNCATE `%s`; ' "$t"; done)"

TSV=$RES/parts.tsv
printf 'parallelism\trun\twall_s\tslowest_table\tslowest_s\ttables_s_sum\n' > "$TSV"
for par in $PARS; do
  python3 -c 'import json, sys; p = sys.argv[1]; d = json.load(open(p)); d["parallelism"] = int(sys.argv[2]); json.dump(d, open(p, "w"), indent=2)' "$PROFILE" "$par"
  quiesce
  log "parallelism $par: $RUNS copies in one pwsh process"
  cat > "$RES/loop.ps1" <<PS
Import-Module '$MODULE'
foreach (\$run in 1..$RUNS) {
  & mariadb --defaults-extra-file='$DST_CNF' '$CL_DB' -e '$EMPTY'
  \$watch = [Diagnostics.Stopwatch]::StartNew()
  \$tables = @(Copy-DataPlane -To Cluster -ShopwareRoot '$SHOP_ROOT' -ProfilePath '$PROFILE' -AllowLiveSource -Force)
  \$wall = \$watch.Elapsed.TotalSeconds
  \$slowest = \$tables | Sort-Object Seconds -Descending | Select-Object -First 1
  "{0}\`t{1}\`t{2:0.000}\`t{3}\`t{4:0.000}\`t{5:0.000}" -f $par, \$run, \$wall, \$slowest.Table, \$slowest.Seconds, (\$tables | Measure-Object Seconds -Sum).Sum
}
PS
  "$PWSH" -NoProfile -NonInteractive -File "$RES/loop.ps1" | tee -a "$TSV"
done
log "done: $RES"
column -t "$TSV" | tee "$RES/summary.txt"
