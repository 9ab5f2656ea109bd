"""The admin as a client of the services (#16): every change path writes its audit event in the
change's transaction, only a system administrator changes anything (403 for other staff, whatever
model permissions they hold), and a bad review chain is a form error, not a 500."""

import pytest
from django.contrib.auth.models import Permission
from django.forms import MultiWidget
from django.urls import reverse
from helpers import new_org, new_user

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.core.models_calendar import CalendarYear
from yangguang.disclosure.models import ReconsiderationSetting
from yangguang.orgs import services
from yangguang.orgs.codes import make_credit_code
from yangguang.orgs.models import Organization, RoleGrant, User
from yangguang.orgs.roles import DEFAULT_REVIEW_CHAIN, MAX_REVIEW_LEVELS, REVIEWER_ROLES
from yangguang.publishing.models import Column

pytestmark = pytest.mark.django_db
LEVELS = [f"review_level_{i}" for i in range(1, MAX_REVIEW_LEVELS + 1)]


@pytest.fixture
def sysadmin(city):
    user = new_user("h5_sysadmin", city)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def _put(data: dict, form) -> None:
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else field.widget.decompress(value)
            for i, (widget, part) in enumerate(zip(field.widget.widgets, parts, strict=True)):
                if part is not None:
                    data[f"{key}_{i}"] = widget.format_value(part)
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif value is not None:
            data[key] = field.widget.format_value(value) if hasattr(value, "isoformat") else str(value)


def form_data(response) -> dict:
    """What the admin page would post back unchanged: the main form and every inline formset."""
    data: dict = {}
    _put(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _put(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _put(data, form)
    return data


def events(action: str, obj) -> int:
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).count()


def change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, data)


# --- the review chain: service, then the admin form ------------------------------------------------

def test_set_review_chain_checks_permission_validates_and_records_one_event(city, sysadmin):
    org = new_org("审核流程局", "h5-chain")
    clerk = new_user("h5_clerk", org, "clerk")
    with pytest.raises(NotAllowed):
        services.set_review_chain(org, ["principal"], clerk)
    with pytest.raises(InvalidInput):
        services.set_review_chain(org, [], sysadmin)
    with pytest.raises(InvalidInput):
        services.set_review_chain(org, ["clerk"], sysadmin)
    with pytest.raises(InvalidInput):
        services.set_review_chain(org, ["principal"] * (MAX_REVIEW_LEVELS + 1), sysadmin)
    assert org.review_roles() == [str(r) for r in DEFAULT_REVIEW_CHAIN] and events("org.review_chain", org) == 0
    services.set_review_chain(org, ["secrecy", "principal"], sysadmin)
    assert org.review_roles() == ["secrecy", "principal"]
    [event] = AuditEvent.objects.filter(action="org.review_chain", object_id=str(org.pk))
    assert event.data == {"chain": ["secrecy", "principal"], "before": [str(r) for r in DEFAULT_REVIEW_CHAIN]}


def test_the_org_admin_changes_the_chain_through_the_service(admin_client, city):
    org = new_org("审核流程局", "h5-chain")
    chain = [str(REVIEWER_ROLES[-1]), str(REVIEWER_ROLES[0])]
    r = change(admin_client, org, **dict(zip(LEVELS, [*chain, *[""] * MAX_REVIEW_LEVELS], strict=False)))
    assert r.status_code == 302
    assert org.review_roles() == chain
    assert events("org.review_chain", org) == 1 and events("admin.change", org) == 0  # nothing else changed


def test_an_invalid_chain_is_a_form_error(admin_client, city):
    org = new_org("审核流程局", "h5-chain")
    r = change(admin_client, org, name="改了名字", **dict.fromkeys(LEVELS, ""))
    assert r.status_code == 200 and r.context["adminform"].form.non_field_errors()
    assert "审核流程须为1至" in r.content.decode()
    org.refresh_from_db()
    assert org.name == "审核流程局" and org.review_roles() == [str(r) for r in DEFAULT_REVIEW_CHAIN]
    assert not AuditEvent.objects.filter(object_id=str(org.pk), action__in=["admin.change", "org.review_chain"])


def test_a_new_org_from_the_admin_is_created_by_the_service(admin_client, city):
    url = reverse("admin:orgs_organization_add")
    data = {**form_data(admin_client.get(url)), "parent": city.pk, "code": make_credit_code("11530100MB77777AB"),
            "name": "新设局", "kind": "department", "slug": "h5-new", "phone": "0871-1234567",
            **dict(zip(LEVELS, ["section_head", "principal", "", "", ""], strict=True))}
    r = admin_client.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    org = Organization.objects.get(slug="h5-new")
    assert org.review_roles() == ["section_head", "principal"] and org.phone == "0871-1234567"
    assert org.path == f"{city.path}{org.pk}/" and Column.objects.filter(org=org).exists()  # its catalog
    assert events("org.create", org) == 1 and events("admin.add", org) == 0
    # A reserved slug is refused by the service's check, shown as a form error.
    r = admin_client.post(url, {**data, "code": make_credit_code("11530100MB77778AB"), "slug": "admin"})
    assert r.status_code == 200 and "系统保留" in r.content.decode()


# --- every other admin change path writes an audit event ------------------------------------------

def test_org_and_user_changes_are_audited(admin_client, city):
    org = new_org("审核流程局", "h5-chain")
    assert change(admin_client, org, phone="0871-7654321").status_code == 302
    event = AuditEvent.objects.get(action="admin.change", object_id=str(org.pk))
    assert event.data == {"fields": ["phone"]}
    user = new_user("h5_someone", org, "clerk")
    assert change(admin_client, user, display_name="某人").status_code == 302
    assert events("admin.change", user) == 1
    data = {"role_grants-0-role": "handler"}
    assert change(admin_client, user, **data).status_code == 302
    assert RoleGrant.objects.filter(user=user, role="handler").exists() and events("admin.inline_change", user) == 1
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    r = admin_client.post(url, {"password1": "Another@2026pass", "password2": "Another@2026pass",
                                "usable_password": "true"})
    assert r.status_code == 302 and events("admin.password_change", user) == 1


def test_calendar_column_and_reconsideration_changes_are_audited(admin_client, city):
    year = CalendarYear.objects.order_by("year").first()
    assert change(admin_client, year, note="已核对").status_code == 302
    assert events("admin.change", year) == 1
    column = Column.objects.filter(org=city).first()
    assert change(admin_client, column, name="通知公告（新）").status_code == 302
    assert events("admin.change", column) == 1
    setting = ReconsiderationSetting.objects.create(org=city, body_name="某某人民政府")
    assert change(admin_client, setting, body_name="另一人民政府").status_code == 302
    assert events("admin.change", setting) == 1


def test_the_bulk_delete_action_is_audited(admin_client, city):
    settings = [ReconsiderationSetting.objects.create(org=new_org(f"删{i}", f"h5-del-{i}"), body_name="某机关")
                for i in range(2)]
    r = admin_client.post(reverse("admin:disclosure_reconsiderationsetting_changelist"),
                          {"action": "delete_selected", "_selected_action": [s.pk for s in settings], "post": "yes"})
    assert r.status_code == 302 and not ReconsiderationSetting.objects.filter(pk__in=[s.pk for s in settings])
    assert all(events("admin.delete", s) == 1 for s in settings)


def test_the_change_and_its_event_share_one_transaction(admin_client, city, monkeypatch):
    org = new_org("审核流程局", "h5-chain")

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record", broken)
    admin_client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        change(admin_client, org, phone="0871-7654321")
    org.refresh_from_db()
    assert org.phone == ""


# --- nobody else ------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", [Organization, User, CalendarYear, Column, ReconsiderationSetting])
def test_staff_who_is_no_system_administrator_gets_403(client, city, model):
    staff = new_user("h5_staff", city, "admin")  # 系统管理员 role: is_staff, but not a superuser
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label=model._meta.app_label))
    staff = User.objects.get(pk=staff.pk)
    assert staff.is_staff and not staff.is_superuser and staff.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    client.force_login(staff)
    obj = model.objects.first() or ReconsiderationSetting.objects.create(org=city, body_name="某机关")
    opts = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{opts}_add")).status_code == 403
    r = client.post(reverse(f"{opts}_change", args=[obj.pk]), {})
    assert r.status_code == 403
    assert client.post(reverse(f"{opts}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
