#!/usr/bin/env python3
"""Side-by-side summary of one bench/run.sh run: the peers' rows (shared harness raw.tsv) and ours."""
import csv, statistics, sys
res, rows_total = sys.argv[1], int(sys.argv[2])

def med(values):
    return statistics.median(values) if values else float('nan')

peers = {}
with open(f"{res}/peers/raw.tsv") as f:
    for r in csv.DictReader(f, delimiter='\t'):
        peers.setdefault((r['method'], r['phase']), []).append(float(r['wall_s']))
ours = {}
with open(f"{res}/ours.tsv") as f:
    for r in csv.DictReader(f, delimiter='\t'):
        ours.setdefault(r['method'], []).append((float(r['wall_s']), float(r['peak_rss_MiB']), r['rc']))

def p(method, phase):
    return med(peers.get((method, phase), []))

seed = p('seed', 'dump') + p('seed', 'import')
mydumper = p('mydumper-t4', 'dump') + p('mydumper-t4', 'load')
# The honest floor (issue 19): the server's own dump and a deferred-index load, no client in between.
floor = p('read-outfile', 'par2') + p('load-infile', 'deferred-par2')
# The old floor loaded the tables with their secondary indexes while our copy defers them: history only.
old_floor = p('read-outfile', 'par2') + p('load-infile', 'nochecks-par2')
ptsync = p('pt-table-sync', 'print-identical')
checksum = p('checksum-table', 'both-parallel')
# Only successful runs count; a failed one is listed, never averaged in.
def ok(name):
    return [w for w, _, rc in ours.get(name, []) if rc == '0']

copy = med(ok('copy'))
copy_pgo = med(ok('copy-pgo-off'))
verify = med(ok('verify'))
ten = med(ok('ten-steps'))
failed = [(name, i + 1, rc) for name, runs in ours.items() for i, (_, _, rc) in enumerate(runs) if rc != '0']
rss = max([m for v in ours.values() for _, m, _ in v] or [float('nan')])
rcs = sorted({rc for v in ours.values() for _, _, rc in v})

print(f"# Benchmark run {res}\n")
print(f"Dataset: {rows_total:,} rows. Medians of the repetitions in this run (process start included for ours).\n")
print("| what | seconds | rows/s |\n|---|---|---|")
for name, s in [("seed: mysqldump > file; mariadb < file", seed), ("mydumper + myloader, 4 threads", mydumper),
                ("deferred-index floor (OUTFILE par2 + LOAD DATA par2 into tables without secondary indexes, one ALTER per table)", floor),
                ("old floor, history only (OUTFILE par2 + LOAD DATA par2 with the indexes)", old_floor),
                ("**this module: Copy-DataPlane (steps 3-4)**", copy),
                ("this module: Copy-DataPlane, DOTNET_TieredPGO=0 in pwsh's environment", copy_pgo), ("**this module: Start-DataMigration, all ten steps**", ten),
                ("CHECKSUM TABLE, both sides in parallel (one engine only, no rows named)", checksum),
                ("pt-table-sync --print (row compare)", ptsync), ("**this module: Test-DataIntegrity, every row**", verify)]:
    print(f"| {name} | {s:.1f} | {rows_total / s:,.0f} |")
print("\n| ratio | value | target |\n|---|---|---|")
print(f"| copy / deferred-index floor | {copy / floor:.2f} | <= 1.0 |")
print(f"| copy / mydumper+myloader | {copy / mydumper:.2f} | <= 0.5 |")
print(f"| seed mysqldump method / copy | {seed / copy:.2f} | >= 3 |")
print(f"| verify / copy | {verify / copy:.2f} | <= 0.25 |")
print(f"| verify / pt-table-sync | {verify / ptsync:.2f} | <= 0.35 |")
print(f"| peak memory of our process (MiB) | {rss:.0f} | <= 200 |")
print(f"| (history) copy / old floor with indexes | {copy / old_floor:.2f} | - |")
print(f"| with DOTNET_TieredPGO=0: copy / floor, / mydumper+myloader, seed / copy | {copy_pgo / floor:.2f}, {copy_pgo / mydumper:.2f}, {seed / copy_pgo:.2f} | - |")
print(f"\nExit codes of our runs: {', '.join(rcs)}" + (f"; failed and left out: {failed}" if failed else ""))
print(f"Runs per method: " + ", ".join(f"{k} {len(v)}" for k, v in ours.items()) + "; peers: " + ", ".join(f"{m}/{ph} {len(v)}" for (m, ph), v in sorted(peers.items()) if m in ('seed', 'mydumper-t4', 'read-outfile', 'load-infile', 'pt-table-sync', 'checksum-table')))
