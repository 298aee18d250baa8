#!/usr/bin/env python3
"""Summary of one bench/small.sh run: the small shop, ours beside mydumper + myloader."""
import csv, statistics, sys
res, rows, tables = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs, steps = {}, {}
with open(f"{res}/small.tsv") as f:
    for r in csv.DictReader(f, delimiter='\t'):
        runs.setdefault(r['method'], {})[r['rep']] = (float(r['wall_s']), float(r['peak_rss_MiB']), r['rc'])
with open(f"{res}/steps.tsv") as f:
    for r in csv.DictReader(f, delimiter='\t'):
        steps.setdefault(r['rep'], {})[r['step']] = float(r['seconds'] or 0)
failed = [(m, rep, rc) for m, v in runs.items() for rep, (_, _, rc) in v.items() if rc != '0']
def wall(m):
    return {rep: w for rep, (w, _, rc) in runs.get(m, {}).items() if rc == '0'}
med = lambda v: statistics.median(v) if v else float('nan')
dump, load = wall('mydumper'), wall('myloader')
peers = med([dump[r] + load[r] for r in dump if r in load])
ten = wall('ten-steps')
imp = med([steps[r]['import_tables'] for r in ten if r in steps])
ten_less = med([ten[r] - steps[r].get('restart_cluster', 0) - steps[r].get('smoke_test', 0) for r in ten if r in steps])
reps = len(ten)
print(f"# Small shop {res}\n\n{rows:,} rows in {tables} tables; medians of {reps} repetitions.\n")
print("| what | seconds |\n|---|---|")
print(f"| mydumper -t4 (dump) | {med(list(dump.values())):.3f} |")
print(f"| myloader -t4 (load) | {med(list(load.values())):.3f} |")
print(f"| **mydumper + myloader** | **{peers:.3f}** |")
print(f"| **ours: import_tables (the step's own time)** | **{imp:.3f}** |")
print(f"| ours: Start-DataMigration, ten steps, pwsh start and Import-Module included | {med(list(ten.values())):.3f} |")
print(f"| ours: the same, less restart_cluster and smoke_test | {ten_less:.3f} |")
print(f"| ours: Copy-DataPlane, pwsh start and Import-Module included | {med(list(wall('copy').values())):.3f} |")
print(f"| pwsh start and Import-Module alone | {med(list(wall('pwsh-import').values())):.3f} |")
print("\n| step | median s |\n|---|---|")
names = list(next(iter(steps.values())).keys()) if steps else []
for n in names:
    print(f"| {n} | {med([s[n] for s in steps.values() if n in s]):.3f} |")
print(f"\n| ratio | value | target |\n|---|---|---|\n| import_tables / (mydumper + myloader) | {imp / peers:.2f} | <= 0.3 |")
rss = max([m for k in ('ten-steps', 'copy') for _, m, _ in runs.get(k, {}).values()] or [float('nan')])
print(f"\nPeak memory of our process (pwsh): {rss:.0f} MiB. Failed runs (left out): {failed or 'none'}.")
