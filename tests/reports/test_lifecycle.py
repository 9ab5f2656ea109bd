"""Draft → finalize (frozen) → publish → correct, with one audit event per action and permissions:
staff enter figures and write; only the org's 主要领导/分管领导 finalize, publish and correct."""

from datetime import date
from decimal import Decimal

import pytest
from helpers import new_user
from known_data import app, doc, load

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.reports import services
from yangguang.reports.models import EnteredFigures, ReportVersion

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def clerk(staff_a):
    return staff_a.clerk


@pytest.fixture
def leader(staff_a):
    return staff_a.principal


def _ready(org, user):
    services.enter_figures(org, YEAR, user, licensing=3, penalty=1, enforcement=0, fees="0.5")
    return services.save_narrative(org, YEAR, user, overview="总体情况。", problems="问题。", other="其他。")


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_full_lifecycle_with_audit(org_a, org_b, clerk, leader):
    load(org_a, org_b)
    report = _ready(org_a, clerk)
    assert services.status_of(report) == "draft"
    v1 = services.finalize(report, leader)
    assert services.status_of(report) == "finalized" and v1.number == 1 and v1.published_at is None
    assert v1.tables["table3"]["total"][6] == 127 and v1.overview == "总体情况。"
    v1 = services.publish(report, leader)
    assert v1.published_at is not None and services.status_of(report) == "published"
    with pytest.raises(IllegalTransition):
        services.finalize(report, leader)  # after publication only a correction
    with pytest.raises(IllegalTransition):
        services.publish(report, leader)
    for action, actor in (("report.figures", clerk), ("report.edit", clerk), ("report.finalize", leader),
                          ("report.publish", leader)):
        events = _events(action)
        assert len(events) == 1 and events[0].org_id == org_a.id and events[0].actor_id == actor.id, action
    assert v1.finalized_by == leader and v1.published_by == leader
    assert _events("report.finalize")[0].data == {"year": YEAR, "version": 1}


def test_frozen_version_unchanged_after_data_changes(org_a, org_b, clerk, leader):
    load(org_a, org_b)
    report = _ready(org_a, clerk)
    v1 = services.finalize(report, leader)
    services.publish(report, leader)
    frozen = ReportVersion.objects.get(pk=v1.pk).tables
    app(org_a, "natural", date(2025, 4, 1), date(2025, 4, 20), "1")
    doc(org_a, "rule", date(2025, 5, 5))
    services.enter_figures(org_a, YEAR, clerk, licensing=99, penalty=1, enforcement=0, fees=0)
    services.save_narrative(org_a, YEAR, clerk, overview="改过的总体情况。")
    again = ReportVersion.objects.get(pk=v1.pk)
    assert again.tables == frozen and again.overview == "总体情况。"
    assert again.tables["table3"]["1"][0] == 2 and again.tables["table2"]["rule"]["made"] == 2
    assert again.tables["table2"]["licensing"] == 3


def test_correction_is_new_dated_version_and_keeps_old(org_a, org_b, clerk, leader):
    load(org_a, org_b)
    report = _ready(org_a, clerk)
    services.finalize(report, leader)
    v1 = services.publish(report, leader)
    app(org_a, "natural", date(2025, 4, 1), date(2025, 4, 20), "1")
    with pytest.raises(InvalidInput):
        services.correct(report, leader, reason="  ")
    v2 = services.correct(report, leader, reason="补录一件漏登的申请。")
    assert v2.number == 2 and v2.published_at is not None and v2.correction_reason == "补录一件漏登的申请。"
    assert v2.tables["table3"]["1"][0] == 3
    old = ReportVersion.objects.get(pk=v1.pk)
    assert old.tables["table3"]["1"][0] == 2 and old.published_at == v1.published_at
    assert len(_events("report.correct")) == 1


def test_broken_tables_refuse_to_finalize(org_a, org_b, clerk, leader):
    load(org_a, org_b)
    report = _ready(org_a, clerk)
    # closed in the year without a valid outcome code: in no row of 三, so the identity breaks
    app(org_a, "research", date(2025, 3, 1), date(2025, 3, 9), "9.9")
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.finalize(report, leader)
    text = str(err.value)
    assert "不能定稿" in text and "表三“科研机构”列" in text and "表三“总计”列" in text
    assert not ReportVersion.objects.exists() and AuditEvent.objects.count() == before


def test_finalize_requires_entered_figures_and_overview(org_a, clerk, leader):
    report = services.save_narrative(org_a, YEAR, clerk, overview="")
    with pytest.raises(InvalidInput) as err:
        services.finalize(report, leader)
    assert "尚未录入" in str(err.value) and "一、总体情况" in str(err.value)


def test_entered_figures_record_user_and_validate(org_a, clerk):
    f = services.enter_figures(org_a, YEAR, clerk, licensing="7", penalty=0, enforcement=0, fees="12.3456")
    assert (f.licensing, f.fees, f.entered_by) == (7, Decimal("12.3456"), clerk) and f.entered_at
    with pytest.raises(InvalidInput) as err:
        services.enter_figures(org_a, YEAR, clerk, licensing=-1, penalty="x", enforcement=0, fees="1.23456")
    assert len(err.value.details) == 3
    assert EnteredFigures.objects.get().licensing == 7
    services.enter_figures(org_a, YEAR, clerk, licensing=8, penalty=0, enforcement=0, fees=0)
    events = _events("report.figures")
    assert len(events) == 2 and events[1].data["old"]["licensing"] == "7"


def test_refinalize_before_publication_keeps_earlier_version(org_a, clerk, leader):
    report = _ready(org_a, clerk)
    services.finalize(report, leader)
    services.save_narrative(org_a, YEAR, clerk, overview="第二稿。")
    v2 = services.finalize(report, leader)
    assert v2.number == 2 and ReportVersion.objects.count() == 2
    assert services.publish(report, leader).pk == v2.pk


def test_staff_act_only_on_own_org(org_a, org_b, clerk, staff_b, supervisor):
    report = _ready(org_a, clerk)
    for user in (staff_b.clerk, staff_b.principal, supervisor):
        with pytest.raises(NotAllowed):
            services.save_narrative(org_a, YEAR, user, overview="x")
        with pytest.raises(NotAllowed):
            services.finalize(report, user)
        with pytest.raises(NotAllowed):
            services.enter_figures(org_a, YEAR, user, licensing=1, penalty=0, enforcement=0, fees=0)
    outsider = new_user("outsider", org_b, "principal")
    with pytest.raises(NotAllowed):
        services.publish(report, outsider)


SIGN_OFF_REFUSED = "只有本单位主要领导或分管领导可以定稿、发布或更正年度报告。"


def test_clerk_writes_but_only_a_leader_signs_off(org_a, clerk, leader):
    report = _ready(org_a, clerk)  # figures and narrative stay open to the org's staff
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as err:
        services.finalize(report, clerk)
    assert str(err.value) == SIGN_OFF_REFUSED
    assert not ReportVersion.objects.exists() and AuditEvent.objects.count() == before
    services.finalize(report, leader)
    with pytest.raises(NotAllowed, match="主要领导或分管领导"):
        services.publish(report, clerk)
    assert services.status_of(report) == "finalized"
    services.publish(report, leader)
    with pytest.raises(NotAllowed, match="主要领导或分管领导"):
        services.correct(report, clerk, reason="补录。")
    assert ReportVersion.objects.count() == 1 and services.status_of(report) == "published"


def test_deputy_finalizes_publishes_and_corrects(org_a, staff_a):
    deputy = staff_a.deputy
    report = _ready(org_a, staff_a.clerk)
    assert services.finalize(report, deputy).finalized_by == deputy
    assert services.publish(report, deputy).published_by == deputy
    v2 = services.correct(report, deputy, reason="修正表述。")
    assert v2.number == 2 and v2.published_by == deputy and v2.finalized_by == deputy


def test_leader_of_another_org_and_non_leader_roles_are_refused(org_a, org_b, clerk, staff_a, staff_b):
    report = _ready(org_a, clerk)
    for user in (staff_b.principal, staff_b.deputy):  # leaders, but of 民政局
        with pytest.raises(NotAllowed, match="只能办理本机关的年度报告"):
            services.finalize(report, user)
    # other roles of the org (and a system admin, who has no business-action bypass anywhere) are refused too
    admin = new_user("sysadmin", org_a, "admin")
    for user in (staff_a.section_head, staff_a.secrecy, admin):
        assert not services.can_sign_off(user, org_a)
        with pytest.raises(NotAllowed, match="主要领导或分管领导"):
            services.finalize(report, user)
    assert services.can_sign_off(staff_a.principal, org_a) and not services.can_sign_off(staff_a.principal, org_b)
    assert not ReportVersion.objects.exists()
