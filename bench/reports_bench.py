"""Annual-report benchmark: compute every org's report tables for one year on an EXISTING database.

    .venv/bin/python bench/reports_bench.py [--year 2025] [--applications N] [--repeat 3]

Uses the database the environment selects (YANGGUANG_DATABASE_URL / YANGGUANG_VAR_DIR), e.g. the
one `bench/import_bench.py --keep` leaves (2,000 orgs, 1,000,000 documents). The reference scale
also has 50,000 applications a year: `--applications 50000` adds that many (with ~5 % 复议/诉讼
cases), spread over every org, received in the year before and the year itself, once (they are
numbered BENCH-…; a second run finds them and adds none). Then it times `tables.compute_all(year)`
(all orgs, grouped queries), the identity checks of every report, and `status.report_status`,
counting SQL queries. Target: < 10 s on PostgreSQL at reference scale. Results are printed and
saved to bench/out/reports-<vendor>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from yangguang.disclosure.law import OUTCOMES, ApplicantType  # noqa: E402
from yangguang.disclosure.models import Application, Remedy  # noqa: E402
from yangguang.orgs.models import Organization  # noqa: E402
from yangguang.reports import checks, tables  # noqa: E402
from yangguang.reports.status import report_status  # noqa: E402

KINDS = ("reconsideration", "litigation_direct", "litigation_after")
RESULTS = ("upheld", "corrected", "other", "pending")


def add_applications(n: int, year: int, seed: int) -> int:
    if Application.objects.filter(number__startswith="BENCH-").exists():
        return 0
    rng = random.Random(seed)
    org_ids = list(Organization.objects.values_list("id", flat=True))
    start = date(year - 1, 1, 1)
    apps = []
    for i in range(n):
        received = start + timedelta(days=rng.randrange(730))
        closed = received + timedelta(days=rng.randrange(1, 60)) if rng.random() < 0.9 else None
        apps.append(Application(
            org_id=rng.choice(org_ids), number=f"BENCH-{i:07d}", tracking_code=f"B{i:015d}",
            applicant_type=rng.choice(ApplicantType.values), applicant_name="基准测试", description="基准测试",
            channel="online", received_date=received, closed_date=closed,
            outcome=rng.choice(OUTCOMES) if closed else "", state="closed" if closed else "assigned"))
    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=5000)
        ids = list(Application.objects.filter(number__startswith="BENCH-").values_list("id", "received_date"))
        remedies = []
        for app_id, received in rng.sample(ids, len(ids) // 20):
            filed = received + timedelta(days=70)
            result = rng.choice(RESULTS)
            remedies.append(Remedy(application_id=app_id, kind=rng.choice(KINDS), filed_date=filed, result=result,
                                   result_date=None if result == "pending" else filed + timedelta(days=60)))
        Remedy.objects.bulk_create(remedies, batch_size=5000)
    return n


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_once(year: int) -> dict:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        t0 = time.perf_counter()
        reports = tables.compute_all(year)
        t1 = time.perf_counter()
        broken = sum(1 for t in reports.values() if checks.problems(t))
        t2 = time.perf_counter()
        statuses = report_status(list(reports), year)
        t3 = time.perf_counter()
    return {"reports": len(reports), "compute_s": round(t1 - t0, 3), "checks_s": round(t2 - t1, 3),
            "status_s": round(t3 - t2, 3), "total_s": round(t3 - t0, 3), "queries": counter.count,
            "reports_breaking_identities": broken, "statuses": len(statuses)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--year", type=int, default=date.today().year - 1)
    p.add_argument("--applications", type=int, default=0, help="add this many synthetic applications first")
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    added = add_applications(args.applications, args.year, args.seed) if args.applications else 0
    sizes = {"orgs": Organization.objects.count(), "applications": Application.objects.count(),
             "remedies": Remedy.objects.count()}
    runs = [run_once(args.year) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["total_s"])
    result = {"vendor": connection.vendor, "year": args.year, "added_applications": added, **sizes,
              "best": best, "runs": runs}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"reports-{connection.vendor}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if best["reports_breaking_identities"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
