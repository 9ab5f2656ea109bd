"""Reference-scale benchmark data, loaded fast, in a realistic published state.

    .venv/bin/python bench/load_reference.py [--backend sqlite|postgres|both] [--docs N] [--orgs N]
                                             [--apps N] [--seed S] [--sqlite-dir DIR] [--pg-db NAME]

For each backend, from an EMPTY database (SQLite: the var dir is wiped, default
var/bench-sqlite; PostgreSQL: `yangguang_bench` is dropped and created with psql):

1. `yangguang migrate`;
2. the organizations of `generate.py` (same seed → same orgs.csv) through the normal
   `import_orgs` service, so the columns come from the catalog template;
3. the documents, generated in memory with generate.py's functions (titles, bodies from
   shared/seeds, column choice per genre) and written with COPY (PostgreSQL) or executemany
   (SQLite) in batches, without the per-row screening of `import-documents` (generate.py's
   sentences are screened one by one already). State: every document published with a live
   edition and a 索引号 (`format_index_number`, serials in publication order per org and year);
   dates 2015 → yesterday with more in recent years; ~2 % with a second edition (the first
   superseded); 规章/行政规范性文件 with validity (some expired/abolished, with their dates);
   most 政策解读 linked to an earlier policy of their org; ~0.1 % withdrawn;
4. --apps 依申请公开 applications over 2021–2026 (weighted to recent years), every applicant
   type and channel, closed ones with a consistent (reply type, outcome) pair of `law.py`,
   open ones (received in the last ~45 days) in every open state with their clock events,
   some fees, and 行政复议/行政诉讼 records (`Remedy`) on ~3 % of closed ones.

Empty and stale columns follow from the data (the template has more columns than the
genres fill, and small orgs publish rarely); the script prints how many at the end.

This is a benchmark fixture: it writes rows directly and records no audit events.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PY = sys.executable
PG_HOST, PG_USER = "127.0.0.1", "postgres"
DEFAULT_SQLITE_DIR = ROOT / "var" / "bench-sqlite"
BATCH = 10_000
APP_YEAR_WEIGHTS = {2021: 5, 2022: 7, 2023: 10, 2024: 15, 2025: 33, 2026: 30}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


# --- the parent: fresh database, migrate, then the child -----------------------------------


def backend_env(backend: str, args) -> dict:
    env = dict(os.environ)
    if backend == "sqlite":
        env["YANGGUANG_VAR_DIR"] = str(args.sqlite_dir)
        env.pop("YANGGUANG_DATABASE_URL", None)
    else:
        env["YANGGUANG_VAR_DIR"] = str(ROOT / "var" / "bench-pg")
        env["YANGGUANG_DATABASE_URL"] = f"postgres://{PG_USER}@{PG_HOST}:5432/{args.pg_db}"
    return env


def fresh(backend: str, args) -> None:
    if backend == "sqlite":
        shutil.rmtree(args.sqlite_dir, ignore_errors=True)
        args.sqlite_dir.mkdir(parents=True)
        return
    for sql in (f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)", f"CREATE DATABASE {args.pg_db}"):
        subprocess.run(["psql", "-h", PG_HOST, "-U", PG_USER, "-d", "postgres", "-qc", sql], check=True)


def run_backend(backend: str, args) -> None:
    env = backend_env(backend, args)
    t0 = time.monotonic()
    fresh(backend, args)
    subprocess.run([PY, "-m", "yangguang", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    log(f"{backend}: migrate {time.monotonic() - t0:.1f} s")
    cmd = [PY, __file__, "--child", "--docs", str(args.docs), "--orgs", str(args.orgs), "--apps", str(args.apps),
           "--seed", str(args.seed)]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    log(f"{backend}: total {time.monotonic() - t0:.1f} s (migrate + load)")


# --- the child: inside Django ------------------------------------------------------------


class Writer:
    """Raw batched inserts: COPY on PostgreSQL, executemany on SQLite. Columns come from the
    model, so every NOT NULL column gets its value (Django defaults are not database defaults)."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def columns(self, model, names: list[str]) -> list[str]:
        return [model._meta.get_field(n).column for n in names]

    def write(self, model, names: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        cols = self.columns(model, names)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                cursor.cursor.executemany(sql, [tuple(map(_sqlite, r)) for r in rows])


def _sqlite(v):
    """Python value → what Django's SQLite backend stores (UTC naive datetimes, hex UUIDs)."""
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return v.hex
    if isinstance(v, bool):
        return int(v)
    return v


UTC = None  # set in child()


def spread_date(rng: random.Random, start: int, end: int) -> date:
    """A date in [start, end] (ordinals) with linearly rising density: more recent → more."""
    return date.fromordinal(start + int((end - start) * math.sqrt(rng.random())))


def child(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    django.setup()
    global UTC
    from datetime import UTC as _UTC

    UTC = _UTC
    from django.db import connection

    t_all = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET synchronous_commit = off")
            # No per-row FK triggers during the load (ids are assigned here and consistent by
            # construction); `check_integrity` verifies every reference afterwards.
            c.execute("SET session_replication_role = replica")
            try:
                c.execute("SET default_toast_compression = 'lz4'")
            except Exception:  # noqa: BLE001 - a server without lz4 keeps pglz
                pass
    else:
        with connection.cursor() as c:
            c.execute("PRAGMA cache_size = -524288")
            c.execute("PRAGMA synchronous = OFF")
    w = Writer(connection)
    orgs, cols = load_orgs(args)
    stats = load_documents(args, w, orgs, cols)
    load_applications(args, w, orgs)
    finish(connection)
    check_integrity(connection)
    report(connection, stats, time.monotonic() - t_all)


def load_orgs(args):
    import generate as g

    from yangguang.orgs.importer import import_orgs
    from yangguang.orgs.models import Organization
    from yangguang.publishing.models import Column

    t0 = time.monotonic()
    rng = random.Random(args.seed)  # same call order as generate.py: plan_orgs first
    plan = g.plan_orgs(args.orgs, rng)
    buf = io.StringIO()
    import csv

    writer = csv.DictWriter(buf, fieldnames=["code", "name", "short_name", "parent_code", "kind", "slug"])
    writer.writeheader()
    writer.writerows(plan)
    import_orgs(buf.getvalue())
    by_code = {o.code: o for o in Organization.objects.all()}
    orgs = [dict(p, id=by_code[p["code"]].id) for p in plan]
    cols = {(org_id, slug): pk for pk, org_id, slug in Column.objects.values_list("id", "org_id", "slug")}
    log(f"机构 {len(orgs)} 个，栏目 {len(cols)} 个（import_orgs {time.monotonic() - t0:.1f} 秒）")
    return orgs, cols


DOC_FIELDS = ["id", "public_id", "org", "column", "index_number", "index_year", "index_serial", "live_edition",
              "first_published_at", "last_published_at", "withdrawn_at", "withdrawal_explanation", "removed_at",
              "interpretation_of", "interpretation_form", "retro_review_pending", "created_by", "created_at",
              "page_version"]
ED_FIELDS = ["id", "document", "number", "state", "level", "chain", "title", "doc_number", "written_date",
             "published_date", "topic", "genre", "keywords", "validity", "validity_date", "abolished_by", "body",
             "body_text", "info_date", "change_kind", "change_note", "scheduled_at", "urgent_reason",
             "return_reason", "content_hash", "author", "created_at", "updated_at", "submitted_at", "published_at"]


def clean_body(raw: str, sanitize) -> str:
    """`sanitize_body(raw)`, without calling nh3 where the result is known: generated plain text
    without markup characters becomes <p> paragraphs, generated <h3>/<p> HTML stays as it is.
    Anything else goes through nh3 (checked equal on 20,000 generated bodies)."""
    if "'" in raw or '"' in raw or "&" in raw:
        return sanitize(raw)
    if "<" not in raw and ">" not in raw:
        return "".join(f"<p>{p.strip()}</p>" for p in raw.splitlines() if p.strip())
    if raw.startswith("<h3>") and raw.count("<") == raw.count(">") == 2 * (1 + raw.count("<p>")):
        return raw
    return sanitize(raw)


def _hash(fields: dict, column_id: int) -> str:
    """`services.common.content_hash` of an edition without attachments, from plain values."""
    from yangguang.publishing.services.common import EDITABLE_FIELDS

    h = hashlib.sha256()
    for name in EDITABLE_FIELDS:
        h.update(f"{name}={fields.get(name)!s}\n".encode())
    h.update(f"column={column_id}\n".encode())
    return h.hexdigest()


def load_documents(args, w: Writer, orgs: list[dict], cols: dict) -> dict:
    import generate as g
    from django.db import transaction
    from django.utils import timezone

    from yangguang.publishing.models import Document, Edition, IndexCounter
    from yangguang.publishing.services.common import html_to_text, sanitize_body
    from yangguang.publishing.services.publication import format_index_number
    from yangguang.publishing.taxonomy import Genre, InterpretationForm, Topic, Validity
    from yangguang.publishing.workflow import State

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    rng = random.Random(args.seed + 1)
    sentences = g.load_sentences()
    quoted = g.quoted_titles(sentences)
    topics, genres = list(Topic.values), list(Genre.values)
    kinds = {o["kind"] for o in orgs}
    kind_cols = {k: [s for s, _ in g.columns_of(k)] for k in kinds}
    local_extra = [s for s in kind_cols.get("county", kind_cols.get("district", [])) if s not in kind_cols["department"]]
    forms = list(InterpretationForm.values)
    policy = {Genre.RULE, Genre.NORMATIVE, Genre.OTHER_DOC}

    # Plan first (org, date), then generate in publication order: ids and 索引号 serials then
    # follow publication order, as they do on a live site.
    t0 = time.monotonic()
    weights = [rng.paretovariate(1.5) for _ in orgs]
    picks = rng.choices(range(len(orgs)), weights=weights, k=args.docs)
    start = date(2015, 1, 1).toordinal()
    plan = sorted((spread_date(rng, start, yesterday.toordinal()).toordinal(), oi) for oi in picks)
    del picks
    log(f"文件计划 {len(plan)} 条（{time.monotonic() - t0:.1f} 秒）")

    serial: dict[tuple[int, int], int] = {}
    recent_policy: dict[int, list[int]] = {}
    stats = {"docs": 0, "editions": 0, "withdrawn": 0, "interpretations_linked": 0, "expired": 0, "abolished": 0}
    docs, eds = [], []
    ed_id = 0
    t0 = last = time.monotonic()

    def flush():
        with transaction.atomic():
            w.write(Document, DOC_FIELDS, docs)
            w.write(Edition, ED_FIELDS, eds)
        docs.clear()
        eds.clear()

    for i, (ordinal, oi) in enumerate(plan):
        org = orgs[oi]
        doc_id = i + 1
        published = date.fromordinal(ordinal)
        genre = genres[i % len(genres)] if i < len(genres) else rng.choice(genres)
        topic = topics[i % len(topics)] if i < len(topics) else rng.choice(topics)
        slug = rng.choice(g.GENRE_COLUMNS[genre])
        if org["kind"] != "department" and rng.random() < 0.3:
            slug = rng.choice(local_extra)
        column_id = cols[(org["id"], slug)]
        year = published.year
        serial[(org["id"], year)] = n = serial.get((org["id"], year), 0) + 1
        at = datetime.combine(published, dtime(9, 0), tz) + timedelta(minutes=rng.randrange(480))
        body = clean_body(g.make_body(rng, sentences), sanitize_body)
        fields = {
            "title": g.make_title(rng, genre, org, year, quoted), "doc_number": "",
            "written_date": None if rng.random() < 0.3 else published - timedelta(days=rng.randint(0, 30)),
            "published_date": published, "topic": topic, "genre": genre, "keywords": "",
            "validity": Validity.VALID, "validity_date": None, "abolished_by": "", "body": body,
            "info_date": None, "scheduled_at": None, "change_kind": "", "change_note": "",
        }
        if genre in (Genre.RULE, Genre.NORMATIVE, Genre.OTHER_DOC, Genre.NOTICE):
            fields["doc_number"] = f"{org['short_name'][:2]}政办发〔{year}〕{rng.randint(1, 300)}号"
        if rng.random() < 0.4:  # 条例第26条: the date the information was formed; a few published late
            fields["info_date"] = published - timedelta(days=rng.choice((0, 1, 3, 7, 14, 20, 35, 60)))
        if genre in (Genre.RULE, Genre.NORMATIVE):
            r = rng.random()
            old = year < 2022
            if old and r < 0.3:
                until = published + timedelta(days=rng.randint(3 * 365, 6 * 365))
                if until <= yesterday:
                    fields["validity"], fields["validity_date"] = Validity.EXPIRED, until
                    stats["expired"] += 1
            elif r < (0.4 if old else 0.05):
                fields["validity"] = Validity.ABOLISHED
                fields["validity_date"] = date.fromordinal(rng.randint(ordinal, yesterday.toordinal()))
                fields["abolished_by"] = f"{org['short_name']}关于废止部分规范性文件的决定"
                stats["abolished"] += 1
        interp_of, interp_form = None, ""
        if genre == Genre.INTERPRETATION:
            interp_form = rng.choice(forms)
            mine = recent_policy.get(oi)
            if mine and rng.random() < 0.7:
                interp_of = rng.choice(mine)
                stats["interpretations_linked"] += 1
        elif genre in policy:
            mine = recent_policy.setdefault(oi, [])
            mine.append(doc_id)
            del mine[:-5]
        two = rng.random() < 0.02
        last_at = at
        if two:
            later = min(ordinal + rng.randint(1, 400), yesterday.toordinal())
            last_at = datetime.combine(date.fromordinal(later), dtime(9, 0), tz) + timedelta(
                minutes=rng.randrange(480))
        withdrawn = rng.random() < 0.001
        withdrawn_at = last_at + timedelta(days=rng.randint(1, 30)) if withdrawn else None
        if withdrawn_at and withdrawn_at.date() > yesterday:
            withdrawn_at = last_at + timedelta(hours=2)
        stats["withdrawn"] += withdrawn
        # editions: the first one (superseded when there is a second), the live one last
        n_ed = 2 if two else 1
        live_id = ed_id + n_ed
        for number in range(1, n_ed + 1):
            ed_id += 1
            f = dict(fields)
            is_live = number == n_ed
            when = last_at if is_live else at
            if number == 2:
                f["change_kind"], f["change_note"] = "major", "根据最新工作要求修订部分内容。"
                f["published_date"] = when.date()
            state = (State.WITHDRAWN if withdrawn else State.PUBLISHED) if is_live else State.SUPERSEDED
            eds.append((
                ed_id, doc_id, number, state, 0, "", f["title"], f["doc_number"], f["written_date"],
                f["published_date"], f["topic"], f["genre"], "", f["validity"], f["validity_date"],
                f["abolished_by"], body, html_to_text(body) if number == 1 else eds[-1][17], f["info_date"],
                f["change_kind"], f["change_note"], None, "", "", _hash(f, column_id), None,
                when - timedelta(hours=3), when, when - timedelta(hours=2), when,
            ))
        stats["editions"] += n_ed
        docs.append((
            doc_id, uuid.UUID(int=rng.getrandbits(128), version=4), org["id"], column_id,
            format_index_number(org["code"], year, n), year, n, live_id, at, last_at, withdrawn_at,
            "该文件内容已调整，现予撤回。" if withdrawn else "", None, interp_of, interp_form, False, None,
            at - timedelta(hours=3), 0,
        ))
        if len(docs) >= BATCH:
            flush()
            now = time.monotonic()
            if now - last > 10:
                last = now
                log(f"已写入文件 {i + 1}/{len(plan)}，每秒 {(i + 1) / (now - t0):.0f} 条")
    flush()
    stats["docs"] = len(plan)
    with transaction.atomic():
        IndexCounter.objects.bulk_create(
            [IndexCounter(org_id=o, year=y, last_serial=s) for (o, y), s in serial.items()], batch_size=500)
    stats["doc_seconds"] = time.monotonic() - t0
    log(f"文件 {stats['docs']} 条、版本 {stats['editions']} 个，用时 {stats['doc_seconds']:.0f} 秒")
    return stats


# (reply type, outcome, weight) for closed applications; pairs as law.check_pair accepts them
CLOSINGS = [
    ("disclose", "1", 26), ("published", "1", 8), ("partial", "2", 14),
    ("refuse", "3.1", 0.5), ("refuse", "3.2", 0.7), ("refuse", "3.3", 0.5), ("refuse", "3.4", 1.5),
    ("refuse", "3.5", 1.5), ("refuse", "3.6", 2.5), ("refuse", "3.7", 1.2), ("refuse", "3.8", 1.0),
    ("not_exist", "4.1", 16), ("not_exist", "4.2", 4), ("not_ours", "4.1", 6), ("", "4.3", 1.5),
    ("refuse_to_handle", "5.1", 3), ("refuse_to_handle", "5.2", 1), ("repeat", "5.2", 1.5),
    ("refuse_to_handle", "5.3", 0.5), ("refuse_to_handle", "5.4", 0.8), ("refuse_to_handle", "5.5", 0.7),
    ("", "6.1", 2.5), ("", "6.2", 0.4), ("", "6.3", 3), ("special_law", "6.3", 0.7),
]
TYPE_WEIGHTS = {"natural": 80, "business": 9, "research": 1, "nonprofit": 1.5, "legal": 5, "other": 3.5}
CHANNEL_WEIGHTS = {"online": 55, "registered_mail": 20, "in_person": 15, "ordinary_mail": 6, "fax": 4}


def load_applications(args, w: Writer, orgs: list[dict]) -> None:
    from django.contrib.auth.hashers import make_password  # noqa: F401 - users get an unusable "!"
    from django.db import transaction
    from django.utils import timezone

    from yangguang.disclosure.models import Application, ApplicationCounter, ClockEvent, Remedy
    from yangguang.disclosure.workflow import State
    from yangguang.orgs.models import RoleGrant, User

    t0 = time.monotonic()
    rng = random.Random(args.seed + 2)
    today = timezone.localdate()
    weights = [rng.paretovariate(1.2) for _ in orgs]
    years = list(APP_YEAR_WEIGHTS)
    closings = [(r, o) for r, o, _ in CLOSINGS]
    closing_w = [x for _, _, x in CLOSINGS]
    types, type_w = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    chans, chan_w = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    K = ClockEvent.Kind
    handlers: dict[int, User] = {}
    counter: dict[tuple[int, int], int] = {}
    rows = []
    for _ in range(args.apps):
        oi = rng.choices(range(len(orgs)), weights=weights)[0]
        year = rng.choices(years, weights=list(APP_YEAR_WEIGHTS.values()))[0]
        lo = date(year, 1, 1)
        hi = min(date(year, 12, 31), today)
        received = date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))
        rows.append((received, oi))
    rows.sort()
    apps, plans = [], []
    for received, oi in rows:
        org = orgs[oi]
        counter[(org["id"], received.year)] = n = counter.get((org["id"], received.year), 0) + 1
        age = (today - received).days
        open_ = age < 45 and rng.random() < (0.9 if age < 25 else 0.35)
        kw = {"org_id": org["id"], "number": f"{received.year}-{n:05d}", "applicant_type": rng.choices(types, type_w)[0],
              "channel": rng.choices(chans, chan_w)[0], "received_date": received,
              "delivery_form": rng.choice(["纸质", "电子文档"]), "delivery_route": rng.choice(["邮寄", "电子邮件", "自行领取"])}
        kw["applicant_name"] = "张先生" if kw["applicant_type"] == "natural" else f"{org['short_name']}辖区某单位"
        kw["description"] = f"申请公开{rng.choice(['本机关', '本单位'])}{received.year - 1}年度相关工作的政府信息"
        events = []
        if open_:
            state = rng.choices([State.RECEIVED, State.CORRECTION, State.ACCEPTED, State.ASSIGNED, State.CONSULTING,
                                 State.FEE_PENDING], [3, 6, 15, 60, 10, 6])[0]
            if state == State.CORRECTION:
                events.append((K.CORRECTION_REQUESTED, min(received + timedelta(days=rng.randint(1, 6)), today), None))
            elif state == State.CONSULTING:
                events.append((K.CONSULTATION, min(received + timedelta(days=rng.randint(2, 10)), today), None))
            elif state == State.FEE_PENDING:
                events.append((K.FEE, min(received + timedelta(days=rng.randint(3, 12)), today), None))
                kw.update(fee_method="per_application", fee_amount="100.00")
            if state in (State.ASSIGNED, State.CONSULTING, State.FEE_PENDING):
                kw["assigned_org_id"] = org["id"]
                kw["handler"] = handlers.setdefault(org["id"], None)
            kw["state"] = state
        else:
            reply_type, outcome = rng.choices(closings, closing_w)[0]
            closed = min(received + timedelta(days=rng.randint(1, 40)), today)
            kw.update(state=State.CLOSED, reply_type=reply_type, outcome=outcome, closed_date=closed,
                      assigned_org_id=org["id"])
            if outcome == "6.2":
                events.append((K.FEE, received + timedelta(days=5), None))
                kw.update(fee_method="per_application", fee_amount="100.00")
            elif outcome in ("1", "2") and rng.random() < 0.01:
                pages = rng.randint(40, 400)
                kw.update(fee_method="per_page", fee_pages=pages, fee_amount=f"{pages * 0.5:.2f}",
                          fee_paid_date=min(received + timedelta(days=8), closed))
                events.append((K.FEE, received + timedelta(days=3), min(received + timedelta(days=8), closed)))
            if rng.random() < 0.15:
                events.insert(0, (K.CORRECTION_REQUESTED, received + timedelta(days=2), None))
                events.insert(1, (K.CORRECTION_RECEIVED, min(received + timedelta(days=5), closed), None))
        apps.append(kw)
        plans.append(events)
    need = [oid for oid in handlers]
    users = User.objects.bulk_create([User(username=f"bench-h{oid}", password="!", org_id=oid,
                                           display_name=f"承办人{oid}", email=f"h{oid}@bench.example.gov.cn")
                                      for oid in need], batch_size=500)
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role="handler") for u in users], batch_size=500)
    by_org = {u.org_id: u for u in users}
    objs = []
    for kw in apps:
        if "handler" in kw:
            kw["handler"] = by_org[kw["org_id"]]
        objs.append(Application(tracking_code=_tracking(rng), **kw))
    with transaction.atomic():
        Application.objects.bulk_create(objs, batch_size=2000)
        ClockEvent.objects.bulk_create([
            ClockEvent(application_id=a.pk, kind=k, start=s, end=e, basis="基准数据")
            for a, evs in zip(objs, plans, strict=True) for k, s, e in evs], batch_size=2000)
        ApplicationCounter.objects.bulk_create(
            [ApplicationCounter(org_id=o, year=y, last_serial=s) for (o, y), s in counter.items()], batch_size=500)
        remedies = []
        R = Remedy
        for a in objs:
            if a.state != State.CLOSED or a.outcome == "1" or rng.random() >= 0.06:
                continue
            filed = a.closed_date + timedelta(days=rng.randint(5, 60))
            if filed > today:
                continue
            kind = rng.choices(list(R.Kind.values), [70, 20, 10])[0]
            result = rng.choices(list(R.Result.values), [60, 15, 10, 15])[0]
            decided = filed + timedelta(days=rng.randint(30, 120))
            if decided > today:
                result = R.Result.PENDING
            remedies.append(R(application=a, kind=kind, filed_date=filed, result=result,
                              result_date=None if result == R.Result.PENDING else decided))
        Remedy.objects.bulk_create(remedies, batch_size=2000)
    n_open = sum(a.state != State.CLOSED for a in objs)
    log(f"申请 {len(objs)} 件（未办结 {n_open} 件），复议诉讼 {len(remedies)} 件，承办人 {len(users)} 个，"
        f"用时 {time.monotonic() - t0:.1f} 秒")


def _tracking(rng: random.Random) -> str:
    from yangguang.disclosure.models import TRACKING_ALPHABET

    return "".join(rng.choice(TRACKING_ALPHABET) for _ in range(16))


def finish(connection) -> None:
    t0 = time.monotonic()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            for table in ("publishing_document", "publishing_edition"):
                c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            c.execute("ANALYZE")
        else:
            c.execute("ANALYZE")
    log(f"ANALYZE {time.monotonic() - t0:.1f} 秒")


def check_integrity(connection) -> None:
    """The references the load wrote without database checks, verified in one query each."""
    checks = {
        "document.live_edition": "SELECT count(*) FROM publishing_document d LEFT JOIN publishing_edition e "
                                 "ON e.id = d.live_edition_id AND e.document_id = d.id WHERE e.id IS NULL",
        "document.column/org": "SELECT count(*) FROM publishing_document d LEFT JOIN publishing_column c "
                               "ON c.id = d.column_id AND c.org_id = d.org_id WHERE c.id IS NULL",
        "document.interpretation_of": "SELECT count(*) FROM publishing_document d LEFT JOIN publishing_document p "
                                      "ON p.id = d.interpretation_of_id "
                                      "WHERE d.interpretation_of_id IS NOT NULL AND p.id IS NULL",
        "edition.document": "SELECT count(*) FROM publishing_edition e LEFT JOIN publishing_document d "
                            "ON d.id = e.document_id WHERE d.id IS NULL",
    }
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET session_replication_role = DEFAULT")
        for name, sql in checks.items():
            c.execute(sql)
            bad = c.fetchone()[0]
            if bad:
                raise SystemExit(f"完整性检查失败：{name} 有 {bad} 行引用不存在")
    log("完整性检查通过（现行版本、栏目、解读关联、版本所属文件）")


def report(connection, stats: dict, seconds: float) -> None:
    from django.db.models import Max
    from django.utils import timezone

    from yangguang.publishing.models import Column, Document

    today = timezone.localdate()
    last = dict(Document.objects.values("column_id").annotate(m=Max("first_published_at")).values_list("column_id", "m"))
    empty = stale = 0
    for col in Column.objects.all():
        if col.pk not in last:
            empty += 1
        elif (days := col.effective_stale_after_days) and (today - timezone.localtime(last[col.pk]).date()).days > days:
            stale += 1
    total = Column.objects.count()
    log(f"栏目 {total} 个：空栏目 {empty} 个，超过更新期限 {stale} 个")
    log(f"统计：{stats}")
    log(f"装载完成，用时 {seconds:.0f} 秒")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--docs", type=int, default=1_000_000)
    p.add_argument("--orgs", type=int, default=2_000)
    p.add_argument("--apps", type=int, default=50_000)
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--sqlite-dir", type=Path, default=DEFAULT_SQLITE_DIR)
    p.add_argument("--pg-db", default="yangguang_bench")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args)
        return 0
    for backend in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        run_backend(backend, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
