"""The monitoring admin is a client of the services (#16): a changed threshold goes through
monitoring.settings (permission, validation, one audit event); staff who are not system
administrators cannot change it; runs, results and rectifications cannot be changed at all."""

import json
from datetime import date

import pytest
from conftest import ind
from django.contrib.auth.models import Permission
from django.urls import reverse
from helpers import new_org, new_user

from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.monitoring import engine
from yangguang.monitoring import settings as monitoring_settings
from yangguang.monitoring.models import (
    AssessmentPeriod,
    Indicator,
    IndicatorResult,
    MonitoringRun,
    Rectification,
)
from yangguang.orgs.models import User

pytestmark = pytest.mark.django_db


def form_of(indicator: Indicator, **changes) -> dict:
    data = {
        "code": indicator.code, "name": indicator.name, "legal_basis": indicator.legal_basis,
        "level": indicator.level, "measure": indicator.measure, "threshold": str(indicator.threshold),
        "points": str(indicator.points), "cap": "" if indicator.cap is None else str(indicator.cap),
        "params": json.dumps(indicator.params), "rectify_working_days": str(indicator.rectify_working_days),
        "description": indicator.description, "position": str(indicator.position), "_save": "保存",
    }
    if indicator.per_item:
        data["per_item"] = "on"
    if indicator.active:
        data["active"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def root():
    return User.objects.create_superuser("mon_admin_root", password=None)


@pytest.fixture
def staff():
    """A staff user with every Django permission on the monitoring models, but no system administrator."""
    user = new_user("mon_admin_staff", new_org("监测后台测试局", "mon-admin-staff"))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="monitoring"))
    return User.objects.get(pk=user.pk)


def change_url(indicator: Indicator) -> str:
    return reverse("admin:monitoring_indicator_change", args=[indicator.pk])


def test_threshold_changed_in_the_admin_is_audited(client, root):
    indicator = ind("home_not_updated")
    before = indicator.threshold
    client.force_login(root)
    assert client.get(change_url(indicator)).status_code == 200
    response = client.post(change_url(indicator), form_of(indicator, threshold=str(before + 7)))
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator.refresh_from_db()
    assert indicator.threshold == before + 7
    events = AuditEvent.objects.filter(object_type="monitoring.indicator", object_id=str(indicator.pk))
    assert [e.action for e in events] == ["indicator.change"]
    assert events[0].actor_id == root.pk
    assert events[0].data["changed"] == {"threshold": {"from": before, "to": before + 7}}


def test_saving_unchanged_writes_no_event(client, root):
    indicator = ind("home_not_updated")
    client.force_login(root)
    assert client.post(change_url(indicator), form_of(indicator)).status_code == 302
    assert not AuditEvent.objects.filter(object_type="monitoring.indicator").exists()


def test_invalid_threshold_is_a_form_error_not_a_500(client, root):
    indicator = ind("home_not_updated")
    before = indicator.threshold
    client.force_login(root)
    response = client.post(change_url(indicator), form_of(indicator, threshold="-3"))
    assert response.status_code == 200
    assert "阈值应为不小于0的数。" in response.content.decode()
    response = client.post(change_url(indicator), form_of(indicator, measure="no_such_measure"))
    assert response.status_code == 200
    assert "未注册的测量方法：no_such_measure" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.threshold == before and indicator.measure != "no_such_measure"
    assert not AuditEvent.objects.filter(object_type="monitoring.indicator").exists()


def test_a_new_indicator_added_in_the_admin_is_audited(client, root):
    template = ind("home_not_updated")
    client.force_login(root)
    data = form_of(template, code="local_home", name="本地首页更新", position="999")
    response = client.post(reverse("admin:monitoring_indicator_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Indicator.objects.get(code="local_home")
    event = AuditEvent.objects.get(object_type="monitoring.indicator", object_id=str(created.pk))
    assert event.action == "indicator.create" and event.data["code"] == "local_home"
    # The code of an existing indicator is refused once, with the service's message.
    response = client.post(reverse("admin:monitoring_indicator_add"), data)
    assert response.status_code == 200
    assert response.content.decode().count("指标代码“local_home”已被使用。") == 1


def test_staff_who_is_not_a_system_administrator_gets_403(client, staff):
    indicator = ind("home_not_updated")
    before = indicator.threshold
    client.force_login(staff)
    assert client.post(change_url(indicator), form_of(indicator, threshold=str(before + 7))).status_code == 403
    assert client.get(reverse("admin:monitoring_indicator_add")).status_code == 403
    assert client.post(reverse("admin:monitoring_indicator_delete", args=[indicator.pk]),
                       {"post": "yes"}).status_code == 403
    indicator.refresh_from_db()
    assert indicator.threshold == before
    assert not AuditEvent.objects.filter(object_type="monitoring.indicator").exists()
    with pytest.raises(NotAllowed):
        monitoring_settings.update_indicator(indicator, staff, threshold=before + 7)


def test_indicators_are_not_deleted_in_the_admin(client, root):
    indicator = ind("home_not_updated")
    client.force_login(root)
    assert client.post(reverse("admin:monitoring_indicator_delete", args=[indicator.pk]),
                       {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_service_checks_what_it_is_given(root):
    indicator = ind("policy_column_stale")
    with pytest.raises(InvalidInput) as refused:
        monitoring_settings.update_indicator(indicator, root, points="abc", rectify_working_days=0, level="x")
    assert len(refused.value.details) == 3
    with pytest.raises(InvalidInput):
        monitoring_settings.update_indicator(indicator, root, id=99)
    with pytest.raises(InvalidInput):
        monitoring_settings.create_indicator(root, code="only_code")
    assert not AuditEvent.objects.filter(object_type="monitoring.indicator").exists()


def test_runs_results_and_rectifications_are_read_only(client, root):
    org = new_org("监测只读测试局", "mon-admin-ro")
    engine.run(trigger=MonitoringRun.Trigger.MANUAL, scope_org=org, only_org=True)
    run = MonitoringRun.objects.latest("id")
    result = IndicatorResult.objects.filter(run=run).first()
    rect = Rectification.objects.filter(org=org).first()
    assert rect is not None  # a new org without publications fails some indicator
    client.force_login(root)
    for model, obj in (("monitoringrun", run), ("indicatorresult", result), ("rectification", rect)):
        change = reverse(f"admin:monitoring_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200  # shown
        assert client.post(change, {"_save": "保存"}).status_code == 403
        assert client.get(reverse(f"admin:monitoring_{model}_add")).status_code == 403
        assert client.post(reverse(f"admin:monitoring_{model}_delete", args=[obj.pk]),
                           {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_period_admin_goes_through_the_service(client, root):
    region = new_org("监测考评期测试市", "mon-admin-period", kind="city")
    period = AssessmentPeriod.objects.create(region=region, kind="quarter", name="2026年第二季度",
                                             start=date(2026, 4, 1), end=date(2026, 6, 30))
    client.force_login(root)
    url = reverse("admin:monitoring_assessmentperiod_change", args=[period.pk])
    # Closing 自评; the dates are read-only (posted values are ignored).
    response = client.post(url, {"name": "2026年第二季度", "start": "2020-01-01", "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    period.refresh_from_db()
    assert not period.self_assessment_open and period.start == date(2026, 4, 1)
    event = AuditEvent.objects.get(object_type="monitoring.assessmentperiod", object_id=str(period.pk))
    assert event.action == "assessment.update"
    assert event.data["changed"] == {"self_assessment_open": {"from": True, "to": False}}
    assert client.get(reverse("admin:monitoring_assessmentperiod_add")).status_code == 403
    assert client.post(reverse("admin:monitoring_assessmentperiod_delete", args=[period.pk]),
                       {"post": "yes"}).status_code == 403
    with pytest.raises(InvalidInput):
        monitoring_settings.update_period(period, root, start=date(2020, 1, 1))
