"""The supervision overview, bulletins, dashboard and monitoring count 依申请公开 lateness through
disclosure.timeliness (issue #14 part B, item 2): the issue's stored data — due 2026-11-25, an
extension recorded 2026-12-02 — stays 已超期 everywhere, and a past month is judged as of its end."""

from datetime import date as D

import pytest
from django.test import Client

from yangguang.disclosure.models import Application, ClockEvent
from yangguang.monitoring import engine
from yangguang.monitoring.indicators import SEED
from yangguang.monitoring.models import Indicator
from yangguang.supervision import dashboard, facts
from yangguang.supervision.months import Month
from yangguang.supervision.stats import month_stats, overdue_applications

pytestmark = pytest.mark.django_db

RECEIVED = D(2026, 10, 28)  # 20 working days → due 2026-11-25
TODAY = D(2026, 12, 3)
DEC, NOV = Month(2026, 12), Month(2026, 11)


def _app(org, number, **over):
    return Application.objects.create(org=org, number=number, applicant_type="natural", applicant_name="张三",
                                      description="某信息", channel="online", received_date=RECEIVED,
                                      state=over.pop("state", "assigned"), **over)


@pytest.fixture
def late_extended(org_a):
    """Inserted directly, as the data the old services accepted."""
    app = _app(org_a, "2026-00001")
    ClockEvent.objects.create(application=app, kind="extension", start=D(2026, 12, 2), days=20, basis="条例第33条")
    return app


def test_late_extension_counted_overdue_by_the_overview(city, org_a, late_extended):
    assert [i.application_id for i in overdue_applications(city, TODAY)[org_a.pk]] == [late_extended.pk]
    assert month_stats(city, DEC, TODAY).by_org()[org_a.pk].overdue_apps == 1
    board = dashboard.build(city, DEC, TODAY)
    assert board.totals["overdue"] == 1 and board.overdue[0][0].application_id == late_extended.pk
    assert facts.compute(city, DEC, TODAY)["totals"]["overdue_apps"] == 1


def test_late_extension_counted_by_the_monitoring_indicator(city, org_a, late_extended):
    if not Indicator.objects.exists():
        for position, row in enumerate(SEED, start=1):
            Indicator.objects.create(**row, position=position * 10)
    indicator = Indicator.objects.get(code="overdue_applications")
    run = engine.run(trigger="test", scope_org=city, indicator=indicator, today=TODAY)
    result = run.results.get(org=org_a)
    assert result.value == 1 and result.details["applications"] == [late_extended.pk] and not result.passed


def test_closed_late_is_a_late_reply(city, org_a, late_extended):
    Application.objects.filter(pk=late_extended.pk).update(state="closed", outcome="1", closed_date=D(2026, 12, 4))
    row = month_stats(city, DEC, D(2026, 12, 10)).by_org()[org_a.pk]
    assert (row.overdue_apps, row.replies, row.late_replies) == (0, 1, 1)


def test_past_month_judged_as_of_its_last_day(city, org_a, late_extended):
    """The November bulletin, computed in December after the application was closed, still shows it
    overdue on 30 November: closing later does not rewrite the month."""
    Application.objects.filter(pk=late_extended.pk).update(state="closed", outcome="1", closed_date=D(2026, 12, 4))
    november = facts.compute(city, NOV, D(2026, 12, 10))
    assert november["as_of"] == "2026-11-30" and november["totals"]["overdue_apps"] == 1


def test_org_page_lists_it(city, org_a, late_extended, supervisor, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client = Client()
    client.force_login(supervisor)
    html = client.get(f"/workbench/supervision/org/{org_a.pk}/?month=2026-12").content.decode()
    assert late_extended.number in html and "没有逾期未答复的申请" not in html
