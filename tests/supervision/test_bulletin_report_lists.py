"""Bulletin sentences about annual reports come from three separate lists — 按期发布 / 逾期发布 /
尚未发布 — so a unit that published late is never named among the units that have not published
(issue #14: "仍有30个单位…未按期发布：明溪市人民政府（…已发布）"). Part B, item 4."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from helpers import new_org, new_user

from yangguang.reports import services as reports
from yangguang.supervision import dashboard, export, services
from yangguang.supervision import facts as F
from yangguang.supervision.months import Month

pytestmark = pytest.mark.django_db
YEAR = 2025


def _publish(org, when: datetime, monkeypatch):
    leader = new_user(f"{org.slug}_zy", org, "principal")
    reports.enter_figures(org, YEAR, leader, licensing=0, penalty=0, enforcement=0, fees=0)
    report = reports.save_narrative(org, YEAR, leader, overview="总体情况。")
    reports.finalize(report, leader)
    aware = timezone.make_aware(when)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: aware)
        reports.publish(report, leader)


@pytest.fixture
def region(city, org_a, org_b, monkeypatch):
    """city (government, due 3-31, not published) · org_a on time · org_b late · section not published."""
    section = new_org("测试市教育局基础教育科", "jyj-jc", parent=org_a)
    _publish(org_a, datetime(2026, 1, 30, 9), monkeypatch)
    _publish(org_b, datetime(2026, 2, 3, 9), monkeypatch)
    return {"city": city, "a": org_a, "b": org_b, "section": section}


def _paragraph(facts: dict) -> list[str]:
    return F.reports_sentences(facts)


def test_three_separate_lists(region):
    facts = F.compute(region["city"], Month(2026, 2), today=date(2026, 3, 5))  # as of 2026-02-28
    lists = facts["reports"]
    assert [x["name"] for x in lists["on_time"]] == ["测试市教育局"]
    assert [(x["name"], x["published_on"]) for x in lists["late"]] == [("测试市民政局", "2026-02-03")]
    assert {x["name"]: x["overdue"] for x in lists["unpublished"]} == {"测试市": False, "测试市教育局基础教育科": True}
    on_time, late, unpublished = _paragraph(facts)
    assert on_time == "截至2026-02-28，2025年度政府信息公开工作年度报告按期发布1个单位：测试市教育局。"
    assert late == "逾期发布1个单位：测试市民政局（应于2026-01-31前发布，2026-02-03发布）。"
    assert unpublished.startswith("尚未发布2个单位：")
    assert "测试市（应于2026-03-31前发布，期限未到）" in unpublished
    assert "测试市教育局基础教育科（应于2026-01-31前发布，已超过期限）" in unpublished
    assert "测试市民政局" not in unpublished and "已发布" not in unpublished


def test_a_report_published_after_the_month_is_not_yet_published_in_it(region):
    january = F.compute(region["city"], Month(2026, 1), today=date(2026, 3, 5))  # as of 2026-01-31
    names = {k: [x["name"] for x in v] for k, v in january["reports"].items()}
    assert names["late"] == [] and "测试市民政局" in names["unpublished"]
    assert names["on_time"] == ["测试市教育局"]


def test_unpublished_all_past_their_deadline_said_once(region):
    march = F.compute(region["city"], Month(2026, 4), today=date(2026, 5, 5))  # as of 2026-04-30
    unpublished = F.reports_sentences(march)[-1]
    assert unpublished == ("尚未发布2个单位，均已超过发布期限：测试市（应于2026-03-31前发布）、"
                           "测试市教育局基础教育科（应于2026-01-31前发布）。")


def test_every_deadline_met_is_said_once(city, monkeypatch):
    _publish(city, datetime(2026, 3, 2, 9), monkeypatch)
    facts = F.compute(city, Month(2026, 3), today=date(2026, 4, 2))
    assert _paragraph(facts) == ["截至2026-03-31，2025年度政府信息公开工作年度报告均已按期发布（1个单位）。"]


def test_bulletin_document_and_dashboard_use_the_lists(region, supervisor):
    b, _ = services.generate_draft(region["city"], Month(2026, 2), supervisor, today=date(2026, 3, 5))
    text = export.plain_text(services.document_blocks(b))
    assert "逾期发布1个单位：测试市民政局" in text and "尚未发布2个单位" in text
    assert "未按期发布：" not in text
    board = dashboard.build(region["city"], Month(2026, 3), today=date(2026, 3, 5))
    assert [x["name"] for x in board.reports["late"]] == ["测试市民政局"]
    assert all(x["name"] != "测试市民政局" for x in board.reports["unpublished"])


def test_bulletins_issued_before_keep_their_facts_but_not_the_mixed_sentence():
    """Facts stored by an issued bulletin before the lists existed: one mixed "late_reports" list."""
    old = {"as_of": "2025-11-30", "report_year": 2024, "late_reports": [
        {"org_id": 1, "name": "明溪市人民政府", "deadline": "2025-03-31", "status": "已发布"},
        {"org_id": 2, "name": "明溪市民政局", "deadline": "2025-01-31", "status": "起草中"}]}
    sentences = _paragraph(old)
    assert "逾期发布1个单位：明溪市人民政府（应于2025-03-31前发布）。" in sentences
    assert "尚未发布1个单位，已超过发布期限：明溪市民政局（应于2025-01-31前发布）。" in sentences
    assert not any("明溪市人民政府" in s and "尚未发布" in s for s in sentences)
