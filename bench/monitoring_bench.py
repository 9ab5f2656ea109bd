"""Monitoring benchmark: a full run of every active 检查指标 over an EXISTING database.

    YANGGUANG_DATABASE_URL=... .venv/bin/python bench/monitoring_bench.py [--prepare sample|full|none]
                                        [--sample N] [--changed N] [--runs N] [--out FILE]

Use a database filled by `bench/load_reference.py` (or `import_bench.py --keep`). The script
WRITES to it (runs, results, rectifications, audit events, re-scan state): never point it at
production. It writes only the monitoring tables (and audit events).

Target (the issue): a full monitoring run at the reference scale (2,000 orgs, ~20,000 columns,
1,000,000 documents) in under 10 seconds.

How the 安全、泄密 re-scan is treated. Screening 1M texts again every day cannot fit in 10 s, so
the re-scan is incremental (`monitoring/rescan.py`): only documents whose live edition or the rule
set (hash of the screening rules and word list) changed since their last scan are screened. A
fresh database has no scan state at all, i.e. a backlog of every public document (the one-off
cost of a first deployment or of a rule-set change). The bench never writes scan state it did not
screen. It

  1. prepares ("--prepare"): `full` screens the whole backlog for real (timed, documents per
     second); `sample` (default) screens --sample documents of it for real and reports the rate
     and the time a full first scan would take at that rate; `none` screens nothing;
  2. times --runs runs of `engine.run`, each of which really screens --changed documents
     (default 1,000 ≈ one day of a city's new publications):
       - with no backlog left (after `full`): the newest --changed documents are first marked as
         re-edited since their last scan, and the run screens exactly those (the daily steady
         state, no limit — as the daily task runs);
       - while a backlog remains (after `sample`): the run is given `scan_limit=--changed` (the
         `monitor --scan-limit` behaviour), screens the next --changed documents of the backlog
         and counts what is still pending (one more query than the steady state). The
         安全、泄密 indicator then reports what it would in production: blocking findings among the
         documents scanned so far; the unscanned ones appear only as `pending` in the run's stats;
  3. reports run 1 (which on a fresh database also opens every rectification item, one audit
     event each — a one-off) and the median of runs 2..N (the figure held against the target).

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
    parser.add_argument("--prepare", choices=["sample", "full", "none"], default="sample",
                        help="screen a sample of the backlog (default), all of it, or nothing before the runs")
    parser.add_argument("--sample", type=int, default=20000, help="documents screened by --prepare sample")
    parser.add_argument("--no-prepare-scan", action="store_true", help="same as --prepare none")
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

    if args.no_prepare_scan:
        args.prepare = "none"
    out["machine"]["loadavg_start"] = os.getloadavg()
    ruleset = rescan.ruleset_hash()

    def pending_count() -> int:
        return rescan.pending_documents(Q(), ruleset).count()

    pending = pending_count()
    out["pending_before"] = pending
    print(f"backlog: {pending} public documents not scanned under the current rule set", flush=True)
    if pending and args.prepare != "none":
        limit = None if args.prepare == "full" else args.sample
        print(f"prepare ({args.prepare}): screening {limit or pending} documents for real …", flush=True)
        stats = rescan.scan_pending(limit=limit)
        rate = stats.scanned / stats.seconds if stats.seconds else 0
        out["prepare_scan"] = {"mode": args.prepare, **stats.as_dict(), "docs_per_second": round(rate, 1)}
        left = pending_count()
        out["pending_after_prepare"] = left
        if rate:
            out["prepare_scan"]["full_first_scan_estimate_seconds"] = round(pending / rate)
        print(f"prepare: screened {stats.scanned} in {stats.seconds:.1f} s ({rate:.0f}/s), "
              f"{stats.blocking_documents} with blocking content; {left} still pending; a full first scan "
              f"of {pending} at this rate: {pending / rate / 60 if rate else float('nan'):.0f} min", flush=True)

    def mark_changed(n: int) -> int:
        # The newest scanned documents stand for "published or re-edited since the last scan".
        ids = list(ScanState.objects.order_by("-document_id").values_list("document_id", flat=True)[:n])
        return ScanState.objects.filter(document_id__in=ids).update(edition_id=0)

    runs = []
    for i in range(1, args.runs + 1):
        backlog = pending_count()
        if backlog:  # screen the next --changed documents of the backlog, as `monitor --scan-limit`
            mode, marked, scan_limit = "backlog", 0, args.changed
        else:  # steady state: that many documents changed since their last scan
            mode, marked, scan_limit = "steady", mark_changed(args.changed), None
        rect_before = Rectification.objects.count()
        load = os.getloadavg()
        t0 = time.perf_counter()
        run = engine.run(trigger=MonitoringRun.Trigger.COMMAND, scan_limit=scan_limit)
        wall = time.perf_counter() - t0
        row = {"run": i, "seconds": round(wall, 3), "scan_mode": mode, "backlog_before": backlog,
               "marked_changed": marked, "scan_limit": scan_limit, "loadavg_before": load, "orgs": run.orgs,
               "failed": run.failed, "rectifications": run.stats.get("rectifications"),
               "rectifications_total": Rectification.objects.count(), "new_rectifications":
               Rectification.objects.count() - rect_before, "scan": run.stats.get("scan"),
               "timings": run.stats.get("timings")}
        runs.append(row)
        scan = row["scan"] or {}
        print(f"run {i} ({mode}): {wall:.2f} s — orgs {run.orgs}, failed {run.failed}, "
              f"rectifications {row['rectifications']}, scanned {scan.get('scanned')} in "
              f"{scan.get('seconds')} s, pending {scan.get('pending')}, load {load[0]:.1f}", flush=True)
        print("        " + ", ".join(f"{k} {v:.2f}s" for k, v in (row["timings"] or {}).items()), flush=True)
    out["runs"] = runs
    out["machine"]["loadavg_end"] = os.getloadavg()
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
