"""`yangguang load-demo`: the demo city, its accounts, documents in every workflow state."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yangguang.core import audit
from yangguang.core.models import AuditEvent
from yangguang.orgs.codes import is_valid_credit_code
from yangguang.orgs.models import Organization, User
from yangguang.orgs.permissions import in_region, reads_org
from yangguang.publishing.demo import DEMO_PASSWORD, KEY_USERS
from yangguang.publishing.models import Attachment, Column, Document, Edition, ScreeningFinding
from yangguang.publishing.workflow import State

EXPECTED_ROLES = {
    "jyj_clerk": {"clerk"}, "jyj_kz": {"section_head"}, "jyj_bm": {"secrecy"}, "jyj_fg": {"deputy"},
    "jyj_zy": {"principal", "urgent"}, "jyj_cb": {"handler"},
    "mzj_clerk": {"clerk"}, "mzj_kz": {"section_head"}, "mzj_bm": {"secrecy"}, "mzj_fg": {"deputy"},
    "mzj_zy": {"principal"}, "gkb": {"supervisor"}, "szfb_clerk": {"clerk"}, "admin": {"admin"},
}


def jyj_editions(**filters):
    return Edition.objects.filter(document__org__slug="jyj", **filters)


def check_organizations(demo: str) -> None:
    orgs = Organization.objects.all()
    assert 25 <= orgs.count() <= 40
    assert all(is_valid_credit_code(o.code) for o in orgs)
    city = Organization.objects.get(slug="mingxi")
    assert city.kind == "city" and city.name == "明溪市人民政府"
    for slug, name in [("szfb", "明溪市人民政府办公室"), ("jyj", "明溪市教育局"), ("mzj", "明溪市民政局"),
                       ("qingshan", "青山县人民政府"), ("baishi", "白石县人民政府")]:
        org = Organization.objects.get(slug=slug)
        assert org.name == name and in_region(org, city)
    for org in orgs:  # created through create_organization: catalog and the 4-level chain
        assert org.review_roles() == ["section_head", "secrecy", "deputy", "principal"]
        assert Column.objects.filter(org=org, slug="gkzn").exists()


def check_accounts(demo: str) -> None:
    for username, roles in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert set(user.role_set()) == roles, username
        assert user.display_name and user.display_name != username
    assert {u[0] for u in KEY_USERS} == set(EXPECTED_ROLES)
    assert User.objects.get(username="jyj_kz").org.slug == "jyj"
    assert User.objects.get(username="mzj_zy").org.slug == "mzj"
    assert User.objects.get(username="szfb_clerk").org.slug == "szfb"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.org.slug == "mingxi"
    gkb = User.objects.get(username="gkb")
    assert reads_org(gkb, Organization.objects.get(slug="jyj"))
    assert reads_org(gkb, Organization.objects.get(slug="qingshan-smx"))
    for slug in Organization.objects.values_list("slug", flat=True):
        assert User.objects.filter(username=f"{slug.replace('-', '_')}_clerk", org__slug=slug).exists()
    assert User.objects.get(username="jyj_clerk").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="qingshan_clerk").check_password(DEMO_PASSWORD)
    assert "Demo@2026" in demo and "jyj_clerk" in demo and "李晓燕" in demo


def check_published_documents(demo: str) -> None:
    public = Document.objects.public()
    assert public.count() >= 200
    assert public.filter(index_number__isnull=True).count() == 0
    assert public.values("org").distinct().count() == Organization.objects.count()
    for slug, genre in [("zcwj", "normative"), ("zcjd", "interpretation"), ("tzgg", "notice"), ("gzdt", "news"),
                        ("czyjs", "fiscal")]:
        assert public.filter(column__slug=slug, live_edition__genre=genre).exists(), slug
    normative = public.filter(org__slug="jyj", live_edition__genre="normative").first()
    assert normative.live_edition.doc_number.startswith("明教发〔")
    interpretation = public.filter(column__slug="zcjd").first()
    assert interpretation.interpretation_of is not None and interpretation.interpretation_of.org_id == interpretation.org_id
    for org in Organization.objects.all():  # one guide per org
        assert public.filter(org=org, column__slug="gkzn").count() == 1
    dates = [e.published_date for e in Edition.objects.filter(state=State.PUBLISHED)]
    assert (max(dates) - min(dates)).days > 300  # spread over the past 18 months
    assert Attachment.objects.filter(original_name__endswith=".docx").exists()
    assert Attachment.objects.filter(original_name__endswith=".xlsx").exists()
    # Published documents passed screening: no open finding on a live edition.
    assert not ScreeningFinding.objects.filter(edition__state=State.PUBLISHED, accepted_at__isnull=True).exists()


def check_workflow_states_of_jyj(demo: str) -> None:
    clerk = User.objects.get(username="jyj_clerk")
    drafts = jyj_editions(state=State.DRAFT, author=clerk)
    assert drafts.count() >= 2
    kinds = set(ScreeningFinding.objects.filter(edition__in=drafts).values_list("kind", flat=True))
    assert {"mobile", "email", "secret_mark"} <= kinds
    assert ScreeningFinding.objects.filter(edition__in=drafts, severity="blocking", text__contains="机密").exists()
    returned = jyj_editions(state=State.RETURNED)
    assert returned.count() >= 1 and returned.first().return_reason
    assert jyj_editions(state=State.SUBMITTED, level=1).count() >= 2
    assert jyj_editions(state=State.SUBMITTED, level=3).count() >= 1
    scheduled = jyj_editions(state=State.SCHEDULED).get()
    assert scheduled.scheduled_at.date() > scheduled.created_at.date()
    urgent = Document.objects.get(org__slug="jyj", retro_review_pending=True)
    assert urgent.is_public and urgent.live_edition.urgent_reason
    withdrawn = Document.objects.get(org__slug="jyj", withdrawn_at__isnull=False)
    assert withdrawn.withdrawal_explanation and withdrawn.index_number
    second = jyj_editions(number=2, state=State.SUBMITTED).get()
    assert second.document.is_public and second.document.live_edition.number == 1
    assert second.change_kind == "major" and second.change_note
    assert Attachment.objects.filter(edition__document__org__slug="jyj").exists()


def check_audit_chain_and_if_empty(demo: str) -> None:
    checked, broken = audit.verify()
    assert broken is None and checked > 1000
    assert AuditEvent.objects.filter(action="edition.publish").count() >= Document.objects.public().count()
    counts = (Organization.objects.count(), User.objects.count(), Document.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "已有数据，跳过演示数据" in out.getvalue()
    assert counts == (Organization.objects.count(), User.objects.count(), Document.objects.count(),
                      AuditEvent.objects.count())
    with pytest.raises(CommandError, match="已有机构"):
        call_command("load_demo", stdout=StringIO())
    assert counts[2] == Document.objects.count()


def check_applications(out: str) -> None:
    from yangguang.disclosure.models import Application, Letter

    states = set(Application.objects.values_list("state", flat=True))
    assert {"received", "correction", "assigned", "consulting", "closed"} <= states
    assert Letter.objects.filter(kind="reply").exists() and Letter.objects.filter(kind="receipt").count() == 9
    assert "件演示依申请公开" in out


@pytest.mark.django_db
def test_load_demo(settings, tmp_path):
    """One load (≈20 s), checked from several sides."""
    settings.PRIVATE_STORAGE_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    demo = out.getvalue()
    check_applications(demo)
    check_organizations(demo)
    check_accounts(demo)
    check_published_documents(demo)
    check_workflow_states_of_jyj(demo)
    check_audit_chain_and_if_empty(demo)


@pytest.mark.django_db
def test_refused_on_a_non_empty_database_without_if_empty():
    Organization.objects.create(code="000000000", name="已有机构", kind="city", slug="old")
    with pytest.raises(CommandError, match="已有机构"):
        call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert out.getvalue().strip() == "已有数据，跳过演示数据"
    assert Organization.objects.count() == 1 and not User.objects.exists()


@pytest.mark.django_db
def test_all_or_nothing(monkeypatch, settings, tmp_path):
    """A failure half-way leaves nothing behind: no rows, no audit events, no attachment files."""
    from yangguang.publishing import demo as demo_module

    settings.PRIVATE_STORAGE_DIR = tmp_path
    real_backdate, calls, files_seen = demo_module._backdate, [], []

    def failing_backdate(document, day, rng):
        calls.append(document.pk)
        if len(calls) == 80:
            files_seen.extend((tmp_path / "attachments").iterdir())
            raise RuntimeError("中途失败")
        real_backdate(document, day, rng)

    monkeypatch.setattr(demo_module, "_backdate", failing_backdate)
    with pytest.raises(RuntimeError):
        call_command("load_demo", stdout=StringIO())
    assert files_seen, "the failure should come after some attachments were stored"
    assert not Organization.objects.exists() and not Document.objects.exists() and not AuditEvent.objects.exists()
    assert list((tmp_path / "attachments").iterdir()) == []

