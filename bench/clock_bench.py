"""Statutory-clock benchmark: due dates of 50,000 open applications in one pass, and the daily
alert task over them, on a FRESH database per backend.

    .venv/bin/python bench/clock_bench.py [--apps N] [--orgs N] [--runs N] [--backend sqlite|postgres|both]
                                          [--keep]

Target (the issue): "the daily alert task over 50,000 open applications finishes in under 10
seconds on either database".

For each backend: an empty database (SQLite: a temporary YANGGUANG_VAR_DIR; PostgreSQL: drop and
create `yangguang_clock_bench` via psql -h 127.0.0.1 -U postgres), `yangguang migrate` (which seeds
the official calendar), then — in a child process on that database — generate with bulk_create:
--orgs departments, one handler (承办人, with an e-mail address) each, and --apps open applications
received over the last 60 days, with the mix of clock events:

    30 % a correction request (4 in 5 of them answered), 20 % a third-party consultation (half of
    them still open), 10 % an approved extension (5–20 working days), 5 % a fee notice (half paid);
    one in ten applications not yet assigned to a handler.

Then, each --runs times (median reported):

    (a) `alerts.compute_all()`: load + one-pass clock of every open application, classified;
    (b) `send_due_alerts` (the task, called in-process): (a) + notifications (bulk insert) +
        one summary e-mail per handler (locmem mail backend). Today's notifications are deleted
        (untimed) before each run, so every timed run is the day's first;
    (c) `send_due_alerts` once more on the same day: the idempotent re-run (creates/sends nothing);
    (d) the same pass as (a) without the calendar memo (disclosure.timeliness.memo), for reference.

Results are printed and saved to bench/out/clock-<backend>-<apps>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PG_HOST, PG_USER, PG_DB = "127.0.0.1", "postgres", "yangguang_clock_bench"
PG_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{PG_DB}"
TARGET_SECONDS = 10.0
SEED = 20260101


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- the child: runs inside Django on the fresh database -------------------------------------


def generate(n_apps: int, n_orgs: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from yangguang.disclosure.models import Application, ClockEvent
    from yangguang.disclosure.workflow import State
    from yangguang.orgs.codes import make_credit_code
    from yangguang.orgs.models import Organization, RoleGrant, User

    rnd = random.Random(SEED)
    today = timezone.localdate()
    K = ClockEvent.Kind
    with transaction.atomic():
        city = Organization.objects.create(code=make_credit_code("11530100MB0000000"), name="基准市人民政府",
                                           kind="city", slug="bench-city")
        orgs = Organization.objects.bulk_create([
            Organization(parent=city, code=make_credit_code(f"11530100MB{i + 1:07d}"), name=f"基准市第{i + 1}局",
                         kind="department", slug=f"bench-d{i + 1}", path=f"{city.path}x{i}/")
            for i in range(n_orgs)])
        users = User.objects.bulk_create([
            User(username=f"cb{o.pk}", password="!", org=o, display_name=f"承办人{o.pk}",
                 email=f"cb{o.pk}@bench.example.gov.cn") for o in orgs])
        RoleGrant.objects.bulk_create([RoleGrant(user=u, role="handler") for u in users])
        apps, plans, serial = [], [], {}
        for _ in range(n_apps):
            k = rnd.randrange(n_orgs)
            org, handler = orgs[k], users[k]
            received = today - timedelta(days=rnd.randrange(60))
            serial[org.pk] = serial.get(org.pk, 0) + 1
            events, state, start = [], State.ASSIGNED, received

            def on(base, lo, hi):
                return min(base + timedelta(days=rnd.randint(lo, hi)), today)

            if rnd.random() < 0.30:
                asked = on(received, 1, 5)
                events.append((K.CORRECTION_REQUESTED, asked, asked + timedelta(days=15), None))
                if rnd.random() < 0.8:
                    start = on(asked, 2, 10)
                    events.append((K.CORRECTION_RECEIVED, start, None, None))
                else:
                    state = State.CORRECTION
            if state != State.CORRECTION and rnd.random() < 0.20:
                sent = on(start, 3, 15)
                if rnd.random() < 0.5:
                    events.append((K.CONSULTATION, sent, on(sent, 1, 15), None))
                else:
                    events.append((K.CONSULTATION, sent, None, None))
                    state = State.CONSULTING
            if state != State.CORRECTION and rnd.random() < 0.10:
                events.append((K.EXTENSION, on(start, 10, 25), None, rnd.randint(5, 20)))
            if state == State.ASSIGNED and rnd.random() < 0.05:
                notice = on(start, 5, 15)
                paid = rnd.random() < 0.5
                events.append((K.FEE, notice, on(notice, 1, 10) if paid else None, None))
                state = State.ASSIGNED if paid else State.FEE_PENDING
            assigned = rnd.random() >= 0.10 or state != State.ASSIGNED
            if not assigned:
                state = State.ACCEPTED
            apps.append(Application(
                org=org, number=f"{received.year}-{serial[org.pk]:05d}", state=state, applicant_type="natural",
                applicant_name="基准申请人", description="基准测试", channel="online", received_date=received,
                assigned_org=org if assigned else None, handler=handler if assigned else None))
            plans.append(events)
        for i in range(0, len(apps), 2000):
            Application.objects.bulk_create(apps[i:i + 2000])
        rows = [ClockEvent(application_id=a.pk, kind=kind, start=s, end=e, days=d, basis="基准")
                for a, events in zip(apps, plans, strict=True) for kind, s, e, d in events]
        for i in range(0, len(rows), 2000):
            ClockEvent.objects.bulk_create(rows[i:i + 2000])
    return {"orgs": n_orgs, "handlers": len(users), "applications": len(apps), "clock_events": len(rows),
            "today": today.isoformat()}


def timed(fn, runs: int, before=None) -> tuple[list[float], object]:
    secs, value = [], None
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        value = fn()
        secs.append(time.perf_counter() - t0)
    return secs, value


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    django.setup()
    from django.core import mail
    from django.db import connection

    from yangguang.core.models import Notification
    from yangguang.core.workdays import Calendar
    from yangguang.disclosure import alerts
    from yangguang.disclosure.tasks import send_due_alerts

    t0 = time.perf_counter()
    out: dict = {"backend": connection.vendor, "data": generate(args.apps, args.orgs)}
    out["generate_seconds"] = round(time.perf_counter() - t0, 1)
    log(f"generated {out['data']} in {out['generate_seconds']} s")

    secs, report = timed(alerts.compute_all, args.runs)
    out["compute_all"] = {"seconds": secs, "counts": report.totals.counts(), "items": len(report.items),
                          "provisional": sum(i.provisional for i in report.items)}
    load_secs, _ = timed(alerts.load_open, args.runs)
    out["load_open"] = {"seconds": load_secs}

    def reset():
        Notification.objects.all().delete()
        mail.outbox = []

    secs, result = timed(send_due_alerts.call, args.runs, before=reset)
    out["task_first_run"] = {"seconds": secs, "result": result, "emails_in_outbox": len(mail.outbox)}
    secs, result = timed(send_due_alerts.call, 1)
    out["task_rerun_same_day"] = {"seconds": secs, "result": result}

    memo = alerts.timeliness.memo  # the calendar memo moved to disclosure.timeliness with the classification
    alerts.timeliness.memo = lambda calendar: calendar or Calendar.from_db()  # (d) reference: no memo
    try:
        secs, _ = timed(alerts.compute_all, args.runs)
    finally:
        alerts.timeliness.memo = memo
    out["compute_all_without_memo"] = {"seconds": secs}
    print("RESULT " + json.dumps(out, ensure_ascii=False))


# --- the driver --------------------------------------------------------------------------------


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", PG_HOST, "-U", PG_USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql], check=True)


def run(args: list[str], env: dict) -> str:
    log("$ " + " ".join(args))
    proc = subprocess.run(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout[-5000:])
        raise SystemExit(f"失败（退出码{proc.returncode}）：{' '.join(args)}")
    return proc.stdout


def summarise(r: dict, n: int) -> dict:
    def figure(key):
        med = statistics.median(r[key]["seconds"])
        return {"median_seconds": round(med, 3), "apps_per_second": round(n / med),
                "share_of_target": round(med / TARGET_SECONDS, 3),
                "runs": [round(s, 3) for s in r[key]["seconds"]]}

    return {k: figure(k) for k in ("compute_all", "load_open", "task_first_run", "task_rerun_same_day",
                                   "compute_all_without_memo")}


def bench_backend(backend: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    var = Path(tempfile.mkdtemp(prefix=f"yangguang-clock-{backend}-"))
    env["YANGGUANG_VAR_DIR"] = str(var)
    env["YANGGUANG_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if backend == "postgres":
        psql(f"drop database if exists {PG_DB}")
        psql(f"create database {PG_DB}")
        env["YANGGUANG_DATABASE_URL"] = PG_URL
    try:
        run([PY, "-m", "yangguang", "migrate", "-v0"], env)
        out = run([PY, str(Path(__file__).resolve()), "--child", "--apps", str(args.apps), "--orgs",
                   str(args.orgs), "--runs", str(args.runs)], env)
    finally:
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
            if backend == "postgres":
                psql(f"drop database if exists {PG_DB}")
    raw = next(json.loads(line[7:]) for line in out.splitlines() if line.startswith("RESULT "))
    return {**raw, "summary": summarise(raw, raw["data"]["applications"])}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--apps", type=int, default=50_000)
    p.add_argument("--orgs", type=int, default=200)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args)
        return 0
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        result = bench_backend(backend, args)
        path = out_dir / f"clock-{backend}-{args.apps}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        s = result["summary"]
        print(f"{backend}: {result['data']['applications']} open applications, "
              f"{result['data']['clock_events']} clock events; "
              f"compute_all median {s['compute_all']['median_seconds']} s "
              f"({s['compute_all']['apps_per_second']}/s); "
              f"send_due_alerts median {s['task_first_run']['median_seconds']} s "
              f"({s['task_first_run']['apps_per_second']}/s, {s['task_first_run']['share_of_target']:.0%} "
              f"of the 10 s target); re-run {s['task_rerun_same_day']['median_seconds']} s; "
              f"without memo {s['compute_all_without_memo']['median_seconds']} s ({path.relative_to(ROOT)})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
