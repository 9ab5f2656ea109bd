"""整改 that cannot be faked: opened by a failure, closed only by a passing re-measurement."""

import pytest
from conftest import TODAY, bare_org, col, ind, pub
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from helpers import new_user

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent, Notification
from yangguang.monitoring import engine, rectify
from yangguang.monitoring.models import MonitoringRun, Rectification
from yangguang.monitoring.rectify_table import TRANSITIONS, Action, State, next_state
from yangguang.monitoring.tasks import daily_run, run_daily_monitoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(region):
    return bare_org("测试局", "csj", parent=region)


@pytest.fixture
def clerk(org):
    return new_user("cs_clerk", org, "clerk")


@pytest.fixture
def gkb(region):
    return new_user("county_gkb", region, "supervisor")


def failing_home(org):
    news = col(org, "gzdt", "news")
    pub(news, 20)
    engine.run(trigger="command", scope_org=org, only_org=True, indicator=ind("home_not_updated"))
    return news, Rectification.objects.get(org=org, indicator__code="home_not_updated")


def test_failure_opens_one_item_with_working_day_deadline(org):
    _news, rect = failing_home(org)
    from django.utils import timezone

    from yangguang.core.workdays import Calendar
    opened = timezone.localdate(rect.opened_at)  # the office's day (Asia/Shanghai), not UTC's: 16:00+ UTC is tomorrow
    assert rect.state == State.OPEN and rect.deadline > opened
    assert rect.deadline == Calendar.from_db().add_working_days(opened, 10).date
    again = engine.run(trigger="command", scope_org=org, only_org=True, indicator=ind("home_not_updated"))
    assert Rectification.objects.filter(org=org).count() == 1  # still failing: no second item
    rect.refresh_from_db()
    assert rect.last_result.run_id == again.pk and rect.state == State.OPEN
    assert AuditEvent.objects.filter(action="rectification.open", object_id=str(rect.pk)).count() == 1


def test_false_claim_is_flagged_to_supervisor_and_item_stays_open(org, clerk, gkb):
    _news, rect = failing_home(org)
    rect = rectify.answer(rect, clerk, "已安排专人每周更新工作动态。", claim_fixed=True)
    assert rect.state == State.FALSE_CLAIM and rect.false_claims == 1 and rect.closed_at is None
    note = Notification.objects.get(user=gkb, kind="rectification_false")
    assert "虚报整改" in note.title and str(rect.pk) in note.url
    actions = list(AuditEvent.objects.filter(object_type="monitoring.rectification", object_id=str(rect.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["rectification.open", "rectification.claim", "rectification.fail"]


def test_cannot_close_while_measurement_fails(org, clerk, gkb):
    _news, rect = failing_home(org)
    rect = rectify.answer(rect, clerk, "已整改。", claim_fixed=True)
    rect = rectify.remeasure(rect, gkb)
    assert rect.state == State.FALSE_CLAIM
    rect = rectify.remeasure(rect, clerk)
    assert rect.state != State.CLOSED
    # No user action reaches CLOSED in the table; the database refuses a closed item without its result.
    assert all(new != State.CLOSED for (_s, a), new in TRANSITIONS.items() if a != Action.MEASURE_PASS)
    with pytest.raises(IllegalTransition):
        next_state(State.CLOSED, Action.ANSWER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=rect.pk).update(state=State.CLOSED)


def test_closes_after_the_fix_with_the_passing_result(org, clerk):
    news, rect = failing_home(org)
    rect = rectify.answer(rect, clerk, "正在整改。")
    assert rect.state == State.ANSWERED
    pub(news, 0, today=timezone.localdate())
    rect = rectify.answer(rect, clerk, "已发布新的工作动态。", claim_fixed=True)
    assert rect.state == State.CLOSED and rect.closed_by_result.passed
    assert rect.closed_by_result.indicator_id == rect.indicator_id and rect.closed_by_result.org_id == org.id
    with pytest.raises(InvalidInput):
        rectify.remeasure(rect, clerk)


def test_daily_run_closes_fixed_items(org):
    news, rect = failing_home(org)
    pub(news, 0, today=timezone.localdate())
    daily_run()
    rect.refresh_from_db()
    assert rect.state == State.CLOSED


def test_permissions(org, clerk, gkb, region):
    _news, rect = failing_home(org)
    stranger = new_user("other_clerk", bare_org("别的局", "bdj", parent=region), "clerk")
    with pytest.raises(NotAllowed):
        rectify.answer(rect, stranger, "替别人答复")
    with pytest.raises(NotAllowed):
        rectify.remeasure(rect, stranger)
    with pytest.raises(NotAllowed):
        rectify.answer(rect, gkb, "监管者不能替机构答复")
    with pytest.raises(InvalidInput):
        rectify.answer(rect, clerk, "   ")
    other_region_gkb = new_user("far_gkb", bare_org("外县", "wx", kind="county"), "supervisor")
    with pytest.raises(NotAllowed):
        rectify.remeasure(rect, other_region_gkb)


def test_daily_task_is_idempotent(org):
    col(org, "gzdt", "news")
    first = run_daily_monitoring.call()
    assert first["orgs"] >= 1
    opened = Rectification.objects.count()
    assert run_daily_monitoring.call() == {"skipped": True}
    assert MonitoringRun.objects.filter(trigger="daily").count() == 1
    assert Rectification.objects.count() == opened
    daily_run(force=True)  # even a forced second run opens no duplicates
    assert Rectification.objects.count() == opened
    assert AuditEvent.objects.filter(action="monitoring.run").count() == 2


def test_command(org, capsys):
    col(org, "gzdt", "news")
    call_command("monitor", "--org", org.slug, "--only")
    out = capsys.readouterr().out
    assert "监测完成" in out and "1个机构" in out
    run = MonitoringRun.objects.get()
    assert (run.trigger, run.scope_org_id, run.only_org) == ("command", org.id, True)
    from django.core.management.base import CommandError
    with pytest.raises(CommandError):
        call_command("monitor", "--org", "nope")


def test_column_status_api(org):
    from yangguang.monitoring.measures import column_status
    news = col(org, "gzdt", "news")
    pub(news, 14)
    pub(news, 20)
    gone = pub(news, 1)
    gone.withdrawn_at = gone.first_published_at
    gone.save()  # a withdrawn item neither counts nor refreshes the column
    empty = col(org, "kb", "static")
    rows = {s.column.id: s for s in column_status([org.id], TODAY)}
    assert (rows[news.id].count, rows[news.id].stale, rows[news.id].empty) == (2, True, False)
    assert rows[news.id].last_published.date().isoformat() == "2026-06-01"
    assert (rows[empty.id].count, rows[empty.id].empty, rows[empty.id].stale) == (0, True, False)


def test_clock_enqueues_the_daily_run():
    from django_tasks_db.models import DBTaskResult

    call_command("clock", "--once")
    assert DBTaskResult.objects.filter(task_path="yangguang.monitoring.tasks.run_daily_monitoring").count() == 1
