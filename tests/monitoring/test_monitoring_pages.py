"""The staff pages: who sees what, the run button, answering, drill-down, assessment and export."""

from datetime import date
from io import BytesIO

import pytest
from conftest import bare_org, col, pub
from django.urls import reverse
from django.utils import timezone
from helpers import new_user
from openpyxl import load_workbook

from yangguang.monitoring import assessment, engine
from yangguang.monitoring.models import AssessmentPeriod, MonitoringRun, Rectification, SelfAssessment
from yangguang.monitoring.rectify_table import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(region):
    org = bare_org("测试局", "csj", parent=region)
    town = bare_org("测试镇", "csz", parent=region, kind="township")
    news = col(org, "gzdt", "news")
    pub(news, 30, today=timezone.localdate())  # home not updated → veto
    pub(col(town, "gzdt", "news"), 1, today=timezone.localdate())
    leaked = pub(col(town, "tzgg", "notice"), 2, today=timezone.localdate(), body="内部资料")
    clerk = new_user("cs_clerk", org, "clerk")
    gkb = new_user("county_gkb", region, "supervisor")
    return {"org": org, "town": town, "news": news, "clerk": clerk, "gkb": gkb, "leaked": leaked}


def login(client, user):
    client.force_login(user)
    return client


def test_supervisor_runs_and_drills_down(client, setup):
    c = login(client, setup["gkb"])
    r = c.post(reverse("monitoring:run"), follow=True)
    assert r.status_code == 200 and "监测完成" in r.content.decode()
    run = MonitoringRun.objects.get(trigger="manual")
    assert run.scope_org_id == setup["gkb"].org_id and run.started_by_id == setup["gkb"].pk
    page = c.get(reverse("monitoring:region")).content.decode()
    assert "测试局" in page and "单项否决" in page and "首页不更新" in page
    detail = c.get(reverse("monitoring:org", args=[setup["town"].pk])).content.decode()
    assert "安全、泄密" in detail and setup["leaked"].index_number in detail  # the offending document
    detail = c.get(reverse("monitoring:org", args=[setup["org"].pk])).content.decode()
    assert reverse("portal:column", args=[setup["org"].slug, "gzdt"]) in detail  # the offending column


def test_clerk_cannot_see_region_or_other_orgs(client, setup):
    engine.run(trigger="command")
    c = login(client, setup["clerk"])
    assert c.get(reverse("monitoring:region")).status_code == 403
    assert c.post(reverse("monitoring:run")).status_code == 403
    assert c.get(reverse("monitoring:org", args=[setup["town"].pk])).status_code == 404
    other = Rectification.objects.filter(org=setup["town"]).first()
    assert c.get(reverse("monitoring:rectification", args=[other.pk])).status_code == 404
    page = c.get(reverse("monitoring:home")).content.decode()
    assert "首页不更新" in page and "待整改事项" in page


def test_answer_form_false_claim_then_fix(client, setup):
    engine.run(trigger="command")
    rect = Rectification.objects.get(org=setup["org"], indicator__code="home_not_updated")
    c = login(client, setup["clerk"])
    url = reverse("monitoring:answer", args=[rect.pk])
    r = c.post(url, {"answer": "已整改。", "claim": "1"}, follow=True)
    assert "虚报整改" in r.content.decode()
    rect.refresh_from_db()
    assert rect.state == State.FALSE_CLAIM
    gkb = login(client.__class__(), setup["gkb"])
    listing = gkb.get(reverse("monitoring:rectifications")).content.decode()
    assert "虚报整改" in listing and "测试局" in listing
    pub(setup["news"], 0, today=timezone.localdate())
    r = gkb.post(reverse("monitoring:remeasure", args=[rect.pk]), follow=True)
    assert "已销号" in r.content.decode()
    rect.refresh_from_db()
    assert rect.state == State.CLOSED


def test_assessment_self_assessment_rankings_and_export(client, setup):
    today = timezone.localdate()
    engine.run(trigger="command")
    gkb = login(client, setup["gkb"])
    r = gkb.post(reverse("monitoring:periods"), {"kind": "year", "name": f"{today.year}年度",
                                                 "start": date(today.year, 1, 1).isoformat(),
                                                 "end": date(today.year, 12, 31).isoformat()})
    period = AssessmentPeriod.objects.get()
    assert r.status_code == 302 and period.region_id == setup["gkb"].org_id
    clerk = login(client.__class__(), setup["clerk"])
    form = {}
    for ind in assessment.Indicator.objects.filter(active=True):
        form[f"passed-{ind.pk}"] = "1"  # the clerk claims everything passed
        form[f"points-{ind.pk}"] = "0"
    assert clerk.post(reverse("monitoring:self_assess", args=[period.pk]), form).status_code == 302
    assert SelfAssessment.objects.filter(period=period, org=setup["org"]).count() == len(form) // 2
    table = {row.org.id: row for row in assessment.period_table(period)}
    row = table[setup["org"].id]
    assert (row.score, row.verdict, row.self_score, row.difference) == (0.0, "不合格", 100.0, 100.0)
    assert row.differs and any(line.differs for line in row.lines if line.indicator.code == "home_not_updated")
    assert table[setup["town"].id].type_label == "乡镇街道" and row.type_label == "市直部门"
    page = gkb.get(reverse("monitoring:period", args=[period.pk])).content.decode()
    assert "row-diff" in page and "测试镇" in page
    own = clerk.get(reverse("monitoring:period", args=[period.pk])).content.decode()
    assert "测试局" in own and "测试镇" not in own  # an org sees only its own row
    assert clerk.get(reverse("monitoring:period_export", args=[period.pk])).status_code == 403
    resp = gkb.get(reverse("monitoring:period_export", args=[period.pk]))
    ws = load_workbook(BytesIO(resp.content)).active
    names = [ws.cell(row=i, column=3).value for i in range(3, ws.max_row + 1)]
    assert "测试局" in names and "测试镇" in names


def test_rankings_share_ties_and_put_vetoed_last(region):
    a, b, c = (bare_org(f"局{i}", f"j{i}", parent=region) for i in range(3))
    today = timezone.localdate()
    for org in (a, b):
        pub(col(org, "gzdt", "news"), 1, today=today)
    col(c, "gzdt", "news")  # never published: vetoed
    engine.run(trigger="command")
    gkb = new_user("rk_gkb", region, "supervisor")
    period = assessment.create_period(gkb, kind="year", name="年度", start=date(today.year, 1, 1),
                                      end=date(today.year, 12, 31))
    rows = {r.org.id: r for r in assessment.period_table(period)}
    assert (rows[a.id].rank_type, rows[b.id].rank_type, rows[c.id].rank_type) == (1, 1, 3)
