"""One source for every derived figure (issue #14 part B, item 3): the same applications — on time,
late, late-then-extended, closed late, due soon, paused by a consultation, paused by a fee notice —
are counted alike by the workbench, the supervision overview (page and drill-down), the dashboard
data and its export, the monitoring indicator, the bulletin facts and sentence, and the annual
report; and, for random histories of clock events, every view's classification equals the clock's.
Runs on SQLite and on PostgreSQL (YANGGUANG_DATABASE_URL)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date as D
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yangguang.core.workdays import Calendar
from yangguang.disclosure import alerts, clock, timeliness
from yangguang.disclosure.models import Application, ClockEvent
from yangguang.monitoring import engine, measures
from yangguang.monitoring.indicators import SEED
from yangguang.monitoring.models import Indicator
from yangguang.reports import checks, replies, services
from yangguang.supervision import dashboard, facts
from yangguang.supervision.months import Month
from yangguang.supervision.stats import month_stats, overdue_applications
from yangguang.supervision.views import export_table

pytestmark = pytest.mark.django_db

TODAY = D(2026, 12, 15)  # a Tuesday
DEC = Month(2026, 12)
YEAR_START = D(2026, 1, 1)
_numbers = iter(range(1, 100_000))


def received_for(due: D) -> D:
    """The receipt date whose 20-working-day deadline (条例第33条) is `due`, by the clock itself."""
    cal = Calendar.from_db()
    day = due
    while clock.compute(day, [], cal, day).due > due:
        day -= timedelta(days=1)
    assert clock.compute(day, [], cal, day).due == due
    return day


def make(org, due: D, *, closed: D | None = None, events=()) -> Application:
    app = Application.objects.create(
        org=org, number=f"2026-{next(_numbers):05d}", applicant_type="natural", applicant_name="张三",
        description="某信息", channel="online", received_date=received_for(due),
        state="closed" if closed else "assigned", closed_date=closed, outcome="1" if closed else "")
    for kind, start, extra in events:
        ClockEvent.objects.create(application=app, kind=kind, start=start, basis="测试", **extra)
    return app


@pytest.fixture
def cases(city, org_a, org_b):
    """Named applications; the comment says what each one is on TODAY."""
    late_ext = ("extension", D(2026, 12, 2), {"days": 20})  # five working days after 11-25
    return {
        org_a: {
            "on_time": make(org_a, D(2026, 11, 25), closed=D(2026, 11, 20)),  # 按期答复 (November)
            "closed_late": make(org_a, D(2026, 11, 25), closed=D(2026, 11, 27)),  # 逾期答复 (November)
            "late_extended": make(org_a, D(2026, 11, 25), events=[late_ext]),  # 已超期
            "late_extended_closed": make(org_a, D(2026, 11, 25), closed=D(2026, 12, 10), events=[late_ext]),  # 逾期
            "due_soon": make(org_a, D(2026, 12, 18)),  # 临近期限, 3 working days left
            "due_today": make(org_a, TODAY),  # 临近期限, due today
        },
        org_b: {
            "normal": make(org_b, D(2026, 12, 31)),  # 正常
            "overdue": make(org_b, D(2026, 12, 1)),  # 已超期
            "consulting": make(org_b, D(2026, 12, 8), events=[("consultation", D(2026, 12, 1), {})]),  # 暂停
            "fee": make(org_b, D(2026, 12, 8), events=[("fee", D(2026, 12, 3), {})]),  # 暂停
            "extended_in_time": make(org_b, D(2026, 12, 8), events=[("extension", D(2026, 12, 8), {"days": 15})]),
            "closed_on_time": make(org_b, D(2026, 12, 9), closed=D(2026, 12, 9)),  # 按期答复 (December)
        },
    }


EXPECTED = {
    "on_time": "on_time", "closed_late": "late", "late_extended": "overdue", "late_extended_closed": "late",
    "due_soon": "due_soon", "due_today": "due_soon", "normal": "normal", "overdue": "overdue",
    "consulting": "normal", "fee": "normal", "extended_in_time": "normal", "closed_on_time": "on_time",
}


def _ids(counts: timeliness.Counts, status: str) -> set[int]:
    return set(counts.ids.get(status, ()))


@pytest.fixture
def indicator():
    if not Indicator.objects.exists():
        for position, row in enumerate(SEED, start=1):
            Indicator.objects.create(**row, position=position * 10)
    return Indicator.objects.get(code="overdue_applications")


def _kpi(html: str, label: str) -> int:
    return int(re.search(rf'<span class="kpi-value">(\d+)</span><span class="kpi-label">{label}', html).group(1))


def _workbench_rows(client: Client, show: str) -> dict[int, tuple[str, str]]:
    """Application id → (light class, label) as the workbench list shows them."""
    html = client.get(f"/workbench/applications/?show={show}").content.decode()
    rows = {}
    for row in html.split("<tr>")[1:]:
        link = re.search(r'href="/workbench/applications/(\d+)/"', row)
        badge = re.search(r'light--(\w+)">([^<]*)<', row)
        if link:
            rows[int(link.group(1))] = (badge.group(1), badge.group(2)) if badge else ("", "")
    return rows


def test_every_view_agrees(cases, city, org_a, org_b, supervisor, indicator, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    scope = Application.objects.all()
    # the reference: the one classification, open at TODAY and closed in the year / in the month
    year = timeliness.count(scope, TODAY, closed_from=YEAR_START)
    month = timeliness.count(scope, TODAY, closed_from=DEC.first_day)
    for org, named in cases.items():
        for name, a in named.items():
            assert timeliness.of(a, TODAY).status == EXPECTED[name], name
        assert Counter(EXPECTED[n] for n in named) == Counter({s: n for s, n in year[org.pk].as_dict().items()
                                                              if s != "paused" and n})
    assert year[org_b.pk].paused == 2 and year[org_a.pk].paused == 0
    orgs = (org_a, org_b)

    # workbench: the due-date alerts (handlers' notifications and badges)
    report = alerts.compute_all(TODAY)
    for org in orgs:
        lights = report.by_org[org.pk].counts()
        ref = year[org.pk]
        assert lights["overdue"] == ref.overdue and lights["red"] + lights["yellow"] == ref.due_soon
        assert lights["paused"] == ref.paused and lights["green"] == ref.normal - ref.paused
    # workbench: the application list (open: traffic light; closed: 按期答复 / 逾期答复)
    client = Client()
    client.force_login(supervisor)
    open_rows, closed_rows = _workbench_rows(client, "open"), _workbench_rows(client, "closed")
    for org in orgs:
        ref = year[org.pk]
        assert {i for i, (light, _l) in open_rows.items() if light == "overdue"} >= _ids(ref, "overdue")
        assert {i for i in _ids(ref, "late")} == {i for i in _ids(ref, "late") if closed_rows[i][1] == "逾期答复"}
        assert {i for i in _ids(ref, "on_time") if closed_rows[i][1] == "按期答复"} == _ids(ref, "on_time")
    assert {i for i, (light, _l) in open_rows.items() if light == "overdue"} == (
        _ids(year[org_a.pk], "overdue") | _ids(year[org_b.pk], "overdue"))

    # supervision overview: stats rows, the overdue list, the dashboard data and page, the drill-down page
    rows = month_stats(city, DEC, TODAY).by_org()
    listed = overdue_applications(city, TODAY)
    board = dashboard.build(city, DEC, TODAY)
    page = client.get("/workbench/supervision/?month=2026-12").content.decode()
    total_overdue = sum(year[o.pk].overdue for o in orgs)
    assert board.totals["overdue"] == _kpi(page, "逾期未答复申请") == total_overdue
    assert {item.application_id for item, *_ in board.overdue} == set().union(*(_ids(year[o.pk], "overdue") for o in orgs))
    assert board.totals["late_replies"] == sum(month[o.pk].late for o in orgs)
    assert board.totals["replies"] == sum(month[o.pk].closed for o in orgs)
    exported = {r[0]: r for r in export_table(board, "orgs")[2]}
    for org in orgs:
        assert rows[org.pk].overdue_apps == year[org.pk].overdue == len(listed.get(org.pk, []))
        assert {i.application_id for i in listed.get(org.pk, [])} == _ids(year[org.pk], "overdue")
        assert (rows[org.pk].replies, rows[org.pk].late_replies) == (month[org.pk].closed, month[org.pk].late)
        assert exported[rows[org.pk].name][6:9] == [year[org.pk].overdue, month[org.pk].closed, month[org.pk].late]
        org_page = client.get(f"/workbench/supervision/org/{org.pk}/?month=2026-12").content.decode()
        assert _kpi(org_page, "逾期未答复申请") == year[org.pk].overdue

    # the monitoring indicator 依申请公开逾期未答复
    run = engine.run(trigger="test", scope_org=city, indicator=indicator, today=TODAY)
    for org in orgs:
        result = run.results.get(org=org)
        assert result.value == year[org.pk].overdue
        assert set(result.details.get("applications", [])) == _ids(year[org.pk], "overdue")

    # the bulletin's facts and sentence
    bulletin = facts.compute(city, DEC, TODAY)
    t = bulletin["totals"]
    assert (t["overdue_apps"], t["replies"], t["late_replies"]) == (
        total_overdue, sum(month[o.pk].closed for o in orgs), sum(month[o.pk].late for o in orgs))
    sentence = facts.summary_sentence(bulletin)
    assert f"其中逾期答复{t['late_replies']}件" in sentence and f"逾期未答复的政府信息公开申请{total_overdue}件" in sentence

    # the annual report (each department's own report for the year so far)
    for org in orgs:
        ref = year[org.pk]
        figures = replies.figures([org.pk], 2026, today=TODAY)
        assert (figures["on_time"], figures["late"], figures["carried_out"], figures["overdue"]) == (
            ref.on_time, ref.late, ref.open, ref.overdue)
        computed = replies.with_figures(services.tables.compute(org, 2026), [org.pk], 2026)
        assert checks.problems(computed) == []  # the same applications as table 三's （七）总计 and 四
        assert computed["table3"]["total"][6] == ref.closed and computed["table3"]["carried_out"][6] == ref.open


# --- property: random histories of clock events ------------------------------------------------

BASE = D(2026, 8, 3)
AT = D(2026, 12, 15)

_event = st.one_of(
    st.tuples(st.just("extension"), st.integers(0, 80), st.integers(1, 20)),
    st.tuples(st.sampled_from(["consultation", "fee"]), st.integers(0, 80), st.one_of(st.none(), st.integers(0, 40))),
    st.tuples(st.just("correction"), st.integers(0, 40), st.one_of(st.none(), st.integers(1, 30))),
    st.tuples(st.just("art35_date"), st.integers(0, 60), st.integers(20, 90)),
)
_history = st.fixed_dictionaries({
    "received": st.integers(0, 120), "events": st.lists(_event, max_size=4),
    "closed": st.one_of(st.none(), st.integers(0, 130)), "org": st.integers(0, 1)})


def _events(received: D, raw, until: D) -> list[tuple[str, D, dict]]:
    """Stored rows for one generated history, as known on `until` (nothing dated later)."""
    out = []
    for kind, offset, extra in raw:
        start = received + timedelta(days=offset)
        if start > until:
            continue
        if kind == "extension":
            out.append((kind, start, {"days": extra}))
        elif kind == "art35_date":
            out.append((kind, received + timedelta(days=extra), {}))
        elif kind == "correction":
            out.append(("correction_requested", start, {"end": start + timedelta(days=15)}))
            if extra is not None and start + timedelta(days=extra) <= until:
                out.append(("correction_received", start + timedelta(days=extra), {}))
        else:
            end = start + timedelta(days=extra) if extra is not None else None
            out.append((kind, start, {"end": end if end is not None and end <= until else None}))
    return [e for e in out if e[1] <= until]


def _reference(received: D, rows, closed: D | None, cal) -> str:
    """The clock function itself: read as of the closed date, or AT."""
    events = [clock.Event(kind, start, extra.get("end"), extra.get("days")) for kind, start, extra in rows]
    if closed is not None:
        return "late" if clock.compute(received, events, cal, closed, closed=closed).is_late(cal) else "on_time"
    c = clock.compute(received, events, cal, AT)
    if c.is_late(cal):
        return "overdue"
    return "other"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(_history, min_size=1, max_size=6))
def test_random_histories_every_view_equals_the_clock(city, org_a, org_b, histories):
    cal = Calendar.from_db()
    orgs = (org_a, org_b)
    with transaction.atomic():
        expected: dict[int, str] = {}
        owner: dict[int, int] = {}
        for h in histories:
            received = BASE + timedelta(days=h["received"])
            closed = received + timedelta(days=h["closed"]) if h["closed"] is not None else None
            if closed is not None and closed > AT:
                closed = None
            rows = _events(received, h["events"], closed or AT)
            org = orgs[h["org"]]
            app = Application.objects.create(
                org=org, number=f"P-{next(_numbers):06d}", applicant_type="natural", applicant_name="张三",
                description="某信息", channel="online", received_date=received, state="closed" if closed else "assigned",
                closed_date=closed, outcome="1" if closed else "")
            for kind, start, extra in rows:
                ClockEvent.objects.create(application=app, kind=kind, start=start, basis="测试", **extra)
            expected[app.pk] = _reference(received, rows, closed, cal)
            owner[app.pk] = org.pk
        by_status = {s: {i for i, x in expected.items() if x == s} for s in ("overdue", "late", "on_time")}

        # the one classification
        got = {r.id: t.status for r, t in timeliness.classify_all(Application.objects.all(), AT, closed_from=BASE)}
        for app_id, status in expected.items():
            assert got[app_id] == status if status != "other" else got[app_id] in ("normal", "due_soon"), app_id
        # the alerts (workbench badges and notifications)
        lights = {i.application_id: i.light for i in alerts.compute_all(AT).items}
        assert {i for i, light in lights.items() if light == "overdue"} == by_status["overdue"]
        # the supervision overview, its month figures, the dashboard data and the bulletin facts
        listed = {i.application_id for group in overdue_applications(city, AT).values() for i in group}
        assert listed == by_status["overdue"]
        rows = month_stats(city, Month.of(AT), AT).by_org()
        month_closed = {i for i in expected if Application.objects.get(pk=i).closed_date
                        and Application.objects.get(pk=i).closed_date >= Month.of(AT).first_day}
        for org in orgs:
            mine = {i for i, o in owner.items() if o == org.pk}
            assert rows[org.pk].overdue_apps == len(mine & by_status["overdue"])
            assert rows[org.pk].late_replies == len(mine & month_closed & by_status["late"])
            # the annual report
            figures = replies.figures([org.pk], AT.year, today=AT)
            assert (figures["late"], figures["on_time"], figures["overdue"]) == (
                len(mine & by_status["late"]), len(mine & by_status["on_time"]), len(mine & by_status["overdue"]))
        assert facts.compute(city, Month.of(AT), AT)["totals"]["overdue_apps"] == len(by_status["overdue"])
        # the monitoring indicator's measure
        ctx = measures.Context(today=AT, orgs=city.__class__.objects.filter(pk__in=[o.pk for o in orgs]),
                               org_ids=[o.pk for o in orgs])
        found = measures.overdue_applications(ctx, None)
        assert {i for m in found.values() for i in m.details["applications"]} == by_status["overdue"]
        transaction.set_rollback(True)
