"""Monitoring benchmark: a full run of every active 检查指标 over an EXISTING database.

    YANGGUANG_DATABASE_URL=... .venv/bin/python bench/monitoring_bench.py [--changed N] [--runs N]
                                                                         [--no-prepare-scan] [--out FILE]

Use a database filled by `bench/import_bench.py --keep` (or `generate.py` + `import-orgs` +
`import-documents`). The script WRITES to it (runs, results, rectifications, audit events,
re-scan state): never point it at production.

Target (the issue): a full monitoring run at the reference scale (2,000 orgs, ~20,000 columns,
1,000,000 documents) in under 10 seconds.

How the 安全、泄密 re-scan is treated: screening 1M texts again every day cannot fit in 10 s, so
the re-scan is incremental (`monitoring/rescan.py`): only documents whose live edition or the rule
set (hash of the screening rules and word list) changed since their last scan are screened. The
bench therefore

  1. brings the scan state up to date once ("prepare": the one-off cost of a first deployment or
     of a rule-set change; timed and reported separately, with documents per second);
  2. before every timed run, marks --changed documents (default 1,000 ≈ one day of a city's new
     publications) as not yet scanned under the current edition, so each timed run screens that
     day's volume — the daily steady state;
  3. times run 1 (which on a fresh database also opens every rectification item, one audit event
     each — a one-off) and runs 2..N (the daily steady state, the figure held against the target).

Per-indicator timings come from the run's own `stats`. Results go to bench/out/monitoring-<vendor>-<docs>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")

TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changed", type=int, default=1000, help="documents to re-scan before each timed run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the first may open rectifications)")
    parser.add_argument("--no-prepare-scan", action="store_true", help="do not bring the scan state up to date first")
    parser.add_argument("--out", help="JSON output file (default bench/out/monitoring-<vendor>-<docs>.json)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q

    from yangguang.monitoring import engine, rescan
    from yangguang.monitoring.models import MonitoringRun, Rectification, ScanState
    from yangguang.orgs.models import Organization
    from yangguang.publishing.models import Column, Document

    vendor = connection.vendor
    counts = {"orgs": Organization.objects.count(), "columns": Column.objects.count(),
              "documents": Document.objects.count(), "public_documents": Document.objects.public().count()}
    print(f"[{vendor}] {counts}")
    if counts["orgs"] == 0:
        print("空数据库：请先导入机构与文件（见 bench/README.md）。")
        return 2
    out: dict = {"backend": vendor, "counts": counts, "changed": args.changed, "target_seconds": TARGET_SECONDS,
                 "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                             "platform": platform.platform()}}

    ruleset = rescan.ruleset_hash()
    pending = rescan.pending_documents(Q(), ruleset).count()
    out["pending_before"] = pending
    if pending and not args.no_prepare_scan:
        print(f"prepare: {pending} documents to scan once under the current rule set …", flush=True)
        stats = rescan.scan_pending()
        rate = stats.scanned / stats.seconds if stats.seconds else 0
        out["prepare_scan"] = {**stats.as_dict(), "docs_per_second": round(rate)}
        print(f"prepare: scanned {stats.scanned} in {stats.seconds:.1f} s ({rate:.0f}/s), "
              f"{stats.blocking_documents} with blocking content", flush=True)

    def mark_changed(n: int) -> int:
        # The newest documents stand for "published or re-edited since the last scan".
        ids = list(ScanState.objects.order_by("-document_id").values_list("document_id", flat=True)[:n])
        return ScanState.objects.filter(document_id__in=ids).update(edition_id=0)

    runs = []
    for i in range(1, args.runs + 1):
        marked = mark_changed(args.changed)
        rect_before = Rectification.objects.count()
        t0 = time.perf_counter()
        run = engine.run(trigger=MonitoringRun.Trigger.COMMAND)
        wall = time.perf_counter() - t0
        row = {"run": i, "seconds": round(wall, 3), "marked_changed": marked, "orgs": run.orgs,
               "failed": run.failed, "rectifications": run.stats.get("rectifications"),
               "rectifications_total": Rectification.objects.count(), "new_rectifications":
               Rectification.objects.count() - rect_before, "scan": run.stats.get("scan"),
               "timings": run.stats.get("timings")}
        runs.append(row)
        print(f"run {i}: {wall:.2f} s — orgs {run.orgs}, failed {run.failed}, "
              f"rectifications {row['rectifications']}, scanned {(row['scan'] or {}).get('scanned')}", flush=True)
        print("        " + ", ".join(f"{k} {v:.2f}s" for k, v in (row["timings"] or {}).items()), flush=True)
    out["runs"] = runs
    steady = [r["seconds"] for r in runs[1:]] or [runs[0]["seconds"]]
    out["steady_median_seconds"] = round(statistics.median(steady), 3)
    out["meets_target"] = out["steady_median_seconds"] < TARGET_SECONDS
    print(f"steady-state median {out['steady_median_seconds']} s (target < {TARGET_SECONDS} s): "
          f"{'OK' if out['meets_target'] else 'NOT MET'}")
    path = Path(args.out) if args.out else HERE / "out" / f"monitoring-{vendor}-{counts['documents']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
