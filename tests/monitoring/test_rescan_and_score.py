"""The 安全、泄密 veto by incremental re-scan, and the score / verdict rules."""

from decimal import Decimal

import pytest
from conftest import TODAY, bare_org, col, ind, pub
from helpers import valid_id

from yangguang.monitoring import engine, indicators, rescan
from yangguang.monitoring.indicators import Level
from yangguang.monitoring.models import Indicator, IndicatorResult, ScanState
from yangguang.publishing.models import Edition
from yangguang.publishing.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(region):
    return bare_org("测试局", "csj", parent=region)


def measure(org, code):
    run = engine.run(trigger="command", scope_org=org, only_org=True, indicator=ind(code), today=TODAY)
    return run, IndicatorResult.objects.get(run=run, org=org)


def test_rescan_finds_blocking_content_published_earlier(org):
    c = col(org, "tzgg", "notice")
    pub(c, 5, body="关于开展安全检查的通知。")
    leaked = pub(c, 4, body=f"申请人身份证号{valid_id('11010519491231002')}，请核实。")
    pub(c, 3, body="号码110105194912310020不是有效的身份证号。")  # wrong check digit: no finding
    run, r = measure(org, "security_leak")
    assert (r.passed, r.value, r.details["documents"]) == (False, 1, [leaked.id])
    assert run.stats["scan"]["scanned"] == 3


def test_rescan_is_incremental_by_edition_and_rule_set(org, monkeypatch):
    c = col(org, "tzgg", "notice")
    docs = [pub(c, i, body="普通内容。") for i in range(3)]
    run, r = measure(org, "security_leak")
    assert r.passed and run.stats["scan"]["scanned"] == 3
    run, _ = measure(org, "security_leak")
    assert run.stats["scan"]["scanned"] == 0  # nothing changed: nothing rescanned
    # A new live edition of one document (e.g. an edit that slipped a marking in) is rescanned alone.
    doc = docs[1]
    new = Edition.objects.create(document=doc, number=2, state=State.PUBLISHED, title="修订", body_text="机密★1年",
                                 published_at=doc.first_published_at, content_hash="x2")
    doc.live_edition = new
    doc.save(update_fields=["live_edition"])
    run, r = measure(org, "security_leak")
    assert run.stats["scan"]["scanned"] == 1 and not r.passed and r.details["documents"] == [doc.id]
    # A changed rule set rescans everything once.
    monkeypatch.setattr(rescan, "ruleset_hash", lambda: "0" * 64)
    run, _ = measure(org, "security_leak")
    assert run.stats["scan"]["scanned"] == 3
    assert set(ScanState.objects.values_list("ruleset", flat=True)) == {"0" * 64}


def test_rescan_limit_reports_pending(org):
    c = col(org, "tzgg", "notice")
    for i in range(5):
        pub(c, i)
    stats = rescan.scan_pending(limit=2)
    assert (stats.scanned, stats.pending) == (2, 3)
    assert rescan.scan_pending().scanned == 3


def test_withdrawn_leak_no_longer_vetoes(org):
    c = col(org, "tzgg", "notice")
    leaked = pub(c, 1, body="内部资料 不得外传")
    assert measure(org, "security_leak")[1].passed is False
    leaked.withdrawn_at = leaked.first_published_at
    leaked.save()
    assert measure(org, "security_leak")[1].passed is True


@pytest.mark.parametrize(("level", "value", "expected"), [
    (Level.VETO, 4, (True, 0)), (Level.VETO, 5, (False, 0)), (Level.VETO, None, (False, 0)),
    (Level.DEDUCT, 0, (True, 0)), (Level.DEDUCT, 3, (False, -1.5)), (Level.DEDUCT, 40, (False, -10)),
    (Level.BONUS, 4, (True, 0)), (Level.BONUS, 5, (True, 0.5)),
])
def test_points_for(level, value, expected):
    threshold = 5 if level != Level.DEDUCT else 1
    assert indicators.points_for(level, value, threshold, Decimal("0.5"), level == Level.DEDUCT, Decimal(10)) == expected


def test_score_and_verdict(org, region):
    assert indicators.total_score([-10, -35.5]) == 54.5
    assert indicators.total_score([-10, 15, 12]) == 110  # bonus at most 20
    assert indicators.verdict(False, 60) == "合格" and indicators.verdict(False, 59.5) == "不合格"
    assert indicators.verdict(True, 100) == "不合格"
    # A full run: fresh news, no empty columns, but an empty policy column (−5) and 2 uninterpreted rules (−2).
    pub(col(org, "gzdt", "news"), 1)
    zcwj = col(org, "zcwj", "notice")
    pub(col(org, "other", "notice"), 1, genre="rule")
    pub(col(org, "other2", "notice"), 1, genre="rule")
    engine.run(trigger="command", scope_org=org, only_org=True, today=TODAY)
    score = engine.latest_results([org.id])[org.id]
    assert (score.score, score.verdict, score.vetoed) == (93.0, "合格", False)
    assert {r.indicator.code for r in score.failed} == {"policy_column_stale", "policy_without_interpretation"}
    # A veto: nothing else is scored.
    for i in range(5):
        col(org, f"kb{i}", "static")
    engine.run(trigger="command", scope_org=org, only_org=True, today=TODAY)
    score = engine.latest_results([org.id])[org.id]
    assert (score.score, score.verdict, score.vetoed) == (0.0, "不合格", True)
    pub(zcwj, 0)  # the later re-measurement of one indicator updates the latest view
    engine.run(trigger="remeasure", scope_org=org, only_org=True, indicator=ind("policy_column_stale"), today=TODAY)
    codes = {r.indicator.code for r in engine.latest_results([org.id])[org.id].failed}
    assert "policy_column_stale" not in codes and "columns_empty" in codes


def test_bonus_indicator_added_by_a_deployment(org):
    Indicator.objects.create(code="many_items", name="信息发布数量达标", legal_basis="某省考评细则", level=Level.BONUS,
                             measure="publications", threshold=3, points=25, params={"window_days": 30})
    c = col(org, "gzdt", "news")
    for i in range(3):
        pub(c, i)
    engine.run(trigger="command", scope_org=org, only_org=True, today=TODAY)
    score = engine.latest_results([org.id])[org.id]
    assert score.bonus == 20 and not score.vetoed
