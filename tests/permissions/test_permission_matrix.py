"""The permission matrix: role × organization relation × action, answered by orgs/permissions.py and
checked through the services, the staff pages and the staff API — all must agree (issue #16).

Subjects: one user per role (Role) in each relation to the object's organization A —
"own" (A itself), "region" (A's parent, the city whose 政务公开办 supervises A), "sibling" (another
department of the same city) and "outside" (another city) — plus a superuser without an org and an
anonymous visitor. For every action the expected answer is the permission module's own question;
then, each in a savepoint that is rolled back:

- the service succeeds (records an audit event by the subject) or raises NotAllowed;
- the staff page's POST records the audit event exactly when allowed;
- the API's POST answers 2xx exactly when allowed (403/404/401 otherwise);
- the page that offers the action shows its button (the form's URL) exactly when allowed.

The matrix is generated from the module: every public question of orgs/permissions.py is either a
row here or listed in ``NOT_ROWS`` with the reason it has no action of its own.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from helpers import Staff, new_org, new_user

from yangguang.core.errors import NotAllowed, ServiceError
from yangguang.core.models import AuditEvent
from yangguang.orgs import permissions
from yangguang.orgs.models import User
from yangguang.orgs.roles import Role
from yangguang.publishing import services as pub
from yangguang.publishing.models import Document, Edition
from yangguang.publishing.services.publication import publish_generated

pytestmark = pytest.mark.django_db

RELATIONS = ("own", "region", "sibling", "outside")


@dataclass
class Subject:
    label: str
    user: object  # a User, or None for the anonymous visitor

    def client(self) -> Client:
        c = Client()
        if self.user is not None:
            c.force_login(self.user)
        return c


@dataclass
class World:
    city: object
    a: object
    b: object
    other: object
    staff: Staff  # the people of A who prepare the objects (not subjects)
    subjects: list[Subject]


@dataclass
class Row:
    """One action. ``make`` prepares the object (in the right state) and returns a getter that
    re-reads it; the channels take (subject, object)."""

    name: str
    ask: str  # the question's name in orgs.permissions, asked as (user, arg(obj))
    make: Callable[[World], Callable[[], object]]
    service: Callable[[object, object], object]
    view: Callable[[Client, object], object] | None = None
    api: Callable[[Client, object], object] | None = None
    page: Callable[[object], tuple[str, str]] | None = None  # (page URL, the action's URL on it)
    arg: Callable[[object], object] | None = staticmethod(lambda obj: obj)  # None: the question is (user)
    markers: Callable[[object], list[str]] | None = None  # more URLs that offer the same right on the page

    def expected(self, user, obj) -> bool:
        if user is None:
            return False
        question = getattr(permissions, self.ask)
        if self.arg is None:
            return question(user)
        args = self.arg(obj)
        return question(user, *args) if isinstance(args, tuple) else question(user, args)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 40 users; nobody logs in
    city = new_org("矩阵市", "mxcity", "city")
    a = new_org("矩阵市教育局", "mxa", parent=city)
    b = new_org("矩阵市民政局", "mxb", parent=city)
    other = new_org("邻市", "mxother", "city")
    staff = Staff(a, "mxs")
    subjects = []
    for rel, org in zip(RELATIONS, (a, city, b, other), strict=True):
        for role in Role:
            subjects.append(Subject(f"{role.value}@{rel}", new_user(f"mx_{rel}_{role.value}", org, role.value)))
    root = User.objects.create_superuser("mx_root", password=None)
    subjects += [Subject("superuser", root), Subject("anonymous", None)]
    return World(city, a, b, other, staff, subjects)


# --- the objects ----------------------------------------------------------------------------------

def _getter(model, pk):
    return lambda: model.objects.select_related("document", "document__org").get(pk=pk) if model is Edition \
        else model.objects.select_related("org").get(pk=pk)


def draft(w: World):
    return _getter(Edition, w.staff.draft().pk)


def submitted(w: World):
    e = w.staff.draft()
    pub.submit(e, w.staff.clerk)
    return _getter(Edition, e.pk)


def published(w: World):
    e = w.staff.publish(w.staff.draft())
    return _getter(Document, e.document_id)


def urgently_published(w: World):
    e = pub.urgent_publish(w.staff.draft(), w.staff.principal, "防汛紧急通知")
    return _getter(Document, e.document_id)


# --- the channels ---------------------------------------------------------------------------------

def post(url: str, data: dict | None = None):
    return lambda c, obj: c.post(url(obj), data or {"reason": "矩阵测试理由说明"})


def api_post(url: str, payload: dict | None = None):
    return lambda c, obj: c.post(url(obj), json.dumps(payload or {"reason": "矩阵测试理由说明"}),
                                 content_type="application/json")


def edition_page(e):
    return reverse("workbench:edition", args=[e.pk])


def live_page(doc):
    return reverse("workbench:edition", args=[doc.live_edition_id])


ROWS = [
    Row("submit", "can_draft", draft,
        lambda e, u: pub.submit(e, u),
        view=post(lambda e: reverse("workbench:submit", args=[e.pk])),
        api=api_post(lambda e: f"/api/v1/staff/editions/{e.pk}/submit"),
        page=lambda e: (edition_page(e), reverse("workbench:submit", args=[e.pk])), arg=lambda e: e.document.org),
    Row("approve", "can_review", submitted,
        lambda e, u: pub.approve(e, u, "同意"),
        view=post(lambda e: reverse("workbench:approve", args=[e.pk])),
        api=api_post(lambda e: f"/api/v1/staff/editions/{e.pk}/approve"),
        page=lambda e: (edition_page(e), reverse("workbench:approve", args=[e.pk]))),
    Row("return", "can_review", submitted,
        lambda e, u: pub.return_edition(e, u, "请补充依据"),
        view=post(lambda e: reverse("workbench:return", args=[e.pk])),
        api=api_post(lambda e: f"/api/v1/staff/editions/{e.pk}/return"),
        page=lambda e: (edition_page(e), reverse("workbench:return", args=[e.pk]))),
    Row("urgent_publish", "can_urgent_publish", draft,
        lambda e, u: pub.urgent_publish(e, u, "防汛紧急通知"),
        view=post(lambda e: reverse("workbench:urgent", args=[e.pk])),
        page=lambda e: (edition_page(e), reverse("workbench:urgent", args=[e.pk])), arg=lambda e: e.document.org),
    Row("request_withdrawal", "can_request_withdrawal", published,
        lambda d, u: pub.request_withdrawal(d, u, "文件内容已过时需要撤回"),
        view=post(lambda d: reverse("workbench:withdraw_request", args=[d.pk]), {"reason": "文件内容已过时需要撤回"}),
        page=lambda d: (live_page(d), reverse("workbench:withdraw_request", args=[d.pk])),
        # a leader is offered the direct withdrawal in place of a request to themselves
        markers=lambda d: [reverse("workbench:withdraw", args=[d.pk])]),
    Row("withdraw", "can_decide_withdrawal", published,
        lambda d, u: pub.withdraw(d, u, "文件内容已过时需要撤回"),
        view=post(lambda d: reverse("workbench:withdraw", args=[d.pk]), {"reason": "文件内容已过时需要撤回"}),
        page=lambda d: (live_page(d), reverse("workbench:withdraw", args=[d.pk]))),
    Row("retro_review", "can_retro_review", urgently_published,
        lambda d, u: pub.complete_retro_review(d, u, "同意"),
        view=post(lambda d: reverse("workbench:retro", args=[d.pk])),
        page=lambda d: (live_page(d), reverse("workbench:retro", args=[d.pk]))),
    Row("publish_generated", "can_publish_generated", lambda w: (lambda: w.staff.column()),
        lambda column, u: publish_generated(column, u, {
            "title": "矩阵市教育局2025年政府信息公开工作年度报告", "topic": "11", "genre": "other_doc",
            "body": "<p>年度报告正文。</p>"}, source="matrix:1"), arg=lambda column: column.org),
    Row("remove_document", "can_remove_document", published,
        lambda d, u: pub.remove_document(d, u, "涉及个人信息须下架")),
]


def guide_submitted(w: World):
    from yangguang.portal import services as guide

    rev = guide.submit(w.a, w.staff.clerk, "一、主动公开\n本机关主动公开的政府信息通过本网站发布。")
    return lambda: type(rev).objects.select_related("org").get(pk=rev.pk)


def org_a(w: World):
    return lambda: type(w.a).objects.get(pk=w.a.pk)


def rectification(w: World):
    from django.utils import timezone

    from yangguang.monitoring.models import Indicator, Rectification

    rect = Rectification.objects.create(org=w.a, indicator=Indicator.objects.order_by("id").first(),
                                        opened_at=timezone.now(), deadline=timezone.localdate())
    return lambda: Rectification.objects.select_related("org", "indicator").get(pk=rect.pk)


def given_up_message(w: World):
    from yangguang.core.models_outbox import OutboundMessage

    msg = OutboundMessage.objects.create(channel="sms", recipient="13812345678", kind="matrix.test", body="您的申请已受理。",
                                         state=OutboundMessage.State.GIVEN_UP, attempts=5)
    return lambda: OutboundMessage.objects.get(pk=msg.pk)


def scheduled(w: World):
    from datetime import timedelta

    from django.utils import timezone

    e = w.staff.publish(w.staff.draft(scheduled_at=timezone.now() + timedelta(days=2)))
    return _getter(Edition, e.pk)


def self_assessment(w: World):
    from yangguang.monitoring import assessment

    office = new_user("mxs_gkb", w.city, "supervisor")
    period = assessment.create_period(office, kind="year", name="2026年度考评", start=date(2026, 1, 1),
                                      end=date(2026, 12, 31))
    return lambda: (type(w.a).objects.get(pk=w.a.pk), type(period).objects.select_related("region").get(pk=period.pk))


def draft_report(w: World):
    from yangguang.reports.models import AnnualReport

    clerk = new_user("mxs_report", w.a, "clerk")
    _reports().save_narrative(w.a, 2025, clerk, overview="本年度政府信息公开工作概述。", problems="存在的问题。",
                              other="其他事项。")
    _reports().enter_figures(w.a, 2025, clerk, licensing=3, penalty=1, enforcement=0, fees=0)
    return lambda: AnnualReport.objects.select_related("org").get(org=w.a, year=2025)


APPLICATION = {"applicant_type": "natural", "applicant_name": "孙七", "contact_phone": "13812345678",
               "description": "某道路改造工程的招标文件", "channel": "online"}


def _dis():
    from yangguang.disclosure import services as dis

    return dis


def _app_getter(app):
    return lambda: type(app).objects.select_related("org", "assigned_org", "handler").get(pk=app.pk)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _received(w: World):
    return _dis().register(w.a, {**APPLICATION, "received_date": _today()})


def received_application(w: World):
    return _app_getter(_received(w))


def accepted_application(w: World):
    office = new_user("mxs_office", w.a, "supervisor")
    return _app_getter(_dis().accept(_received(w), office))


def extension_requested(w: World):
    office = new_user("mxs_office", w.a, "supervisor")
    handler = new_user("mxs_handler", w.a, "handler")
    app = _dis().assign(_dis().accept(_received(w), office), office, w.a, handler)
    ask = _dis().request_extension(app, handler, days=10, reason="需调取多个部门的档案")
    get = _app_getter(app)
    return lambda: _with_request(get(), ask.pk)


def _with_request(app, pk):
    app.pending_request_id = pk  # carried to the channels below
    return app


def act_url(name):
    return lambda app: reverse("applications:act", args=[app.pk, name])


def case_page(name):
    return lambda app: (reverse("applications:detail", args=[app.pk]), reverse("applications:act", args=[app.pk, name]))


def api_act(name, payload):
    return lambda c, app: c.post(f"/api/v1/staff/disclosure/applications/{app.pk}/actions/{name}",
                                 json.dumps(payload(app)), content_type="application/json")


def _guide():
    from yangguang.portal import services as guide

    return guide


def _reports():
    from yangguang.reports import services as reports

    return reports


ROWS += [
    Row("guide_draft", "can_edit_guide", org_a,
        lambda org, u: _guide().save_draft(org, u, "一、主动公开\n本机关主动公开的政府信息通过本网站发布。")),
    Row("guide_approve", "can_decide_guide", guide_submitted,
        lambda rev, u: _guide().approve(rev, u, "同意", links_verified=True)),
    Row("report_narrative", "can_edit_report", org_a,
        lambda org, u: _reports().save_narrative(org, 2025, u, overview="本年度政府信息公开工作概述。")),
    Row("quota", "supervises", org_a,
        lambda org, u: __import__("yangguang.supervision.quotas", fromlist=["x"]).set_quota(org, u, 12)),
    Row("rectification_answer", "can_answer_rectification", rectification,
        lambda r, u: __import__("yangguang.monitoring.rectify", fromlist=["x"]).answer(r, u, "已按要求完成整改。"),
        view=post(lambda r: reverse("monitoring:answer", args=[r.pk]), {"answer": "已按要求完成整改。"}),
        page=lambda r: (reverse("monitoring:rectification", args=[r.pk]), reverse("monitoring:answer", args=[r.pk]))),
    Row("assessment_period", "can_create_assessment", org_a,
        lambda org, u: __import__("yangguang.monitoring.assessment", fromlist=["x"]).create_period(
            u, kind="year", name="2026年度考评", start=date(2026, 1, 1), end=date(2026, 12, 31)), arg=None),
    Row("unschedule", "can_unschedule", scheduled, lambda e, u: pub.unschedule(e, u)),
    Row("rectification_remeasure", "can_remeasure", rectification,
        lambda r, u: __import__("yangguang.monitoring.rectify", fromlist=["x"]).remeasure(r, u),
        view=post(lambda r: reverse("monitoring:remeasure", args=[r.pk]), {}),
        page=lambda r: (reverse("monitoring:rectification", args=[r.pk]),
                        reverse("monitoring:remeasure", args=[r.pk]))),
    Row("self_assessment", "can_self_assess", self_assessment,
        lambda op, u: __import__("yangguang.monitoring.assessment", fromlist=["x"]).save_self_assessment(
            op[1], op[0], u, {}), arg=lambda op: op),
    Row("report_finalize", "can_sign_off_report", draft_report,
        lambda r, u: _reports().finalize(r, u), arg=lambda r: r.org),
    Row("review_chain", "can_change_settings", org_a,
        lambda org, u: __import__("yangguang.orgs.services", fromlist=["x"]).set_review_chain(
            org, ["section_head", "principal"], u), arg=None),
    Row("application_accept", "handles", received_application,
        lambda app, u: _dis().accept(app, u),
        view=lambda c, app: c.post(act_url("accept")(app), {}),
        api=api_act("accept", lambda app: {}), page=case_page("accept")),
    Row("application_assign", "can_assign", accepted_application,
        lambda app, u: _dis().assign(app, u, app.org),
        view=lambda c, app: c.post(act_url("assign")(app), {"department": app.org_id}),
        api=api_act("assign", lambda app: {"department": app.org.slug}), page=case_page("assign")),
    Row("application_extension_decision", "can_decide_extension", extension_requested,
        lambda app, u: _dis().approve_extension_request(app.extension_requests.get(pk=app.pending_request_id), u,
                                                        comment="同意"),
        view=lambda c, app: c.post(act_url("approve_extension")(app), {"request": app.pending_request_id}),
        api=api_act("approve_extension", lambda app: {"request": app.pending_request_id}),
        page=case_page("approve_extension")),
    Row("application_register", "can_register_application", org_a,
        lambda org, u: _dis().register(org, {**APPLICATION, "channel": "in_person", "received_date": _today()},
                                       by=u)),
    Row("requeue_message", "can_requeue_messages", given_up_message,
        lambda m, u: __import__("yangguang.core.outbox", fromlist=["x"]).requeue(m, u), arg=None),
]


# Public questions of orgs/permissions.py that are not an action of their own, with the reason.
NOT_ROWS = {
    "in_region": "the org-tree relation every question is built on",
    "region_q": "the SQL twin of in_region (lists), tested in tests/orgs",
    "reads_org": "reading, checked by the 404s of every row's channels",
    "readable_orgs_q": "the SQL twin of reads_org (lists)",
    "acts_in_org": "part of every action question",
    "is_org_leader": "part of can_decide_withdrawal, can_decide_guide, can_sign_off_report",
    "is_supervisor": "who opens the supervision pages",
    "supervisor_region": "the region a supervisor's pages show",
    "reads_region": "region-wide figures",
    "supervisors_among": "who is notified",
    "is_system_admin": "part of can_requeue_messages / can_change_settings",
    "review_role": "the publishing state table's level → role",
    "sees_retro_queue": "which queue the desk lists",
    "reads_application": "reading a case, checked by the 404s of the disclosure rows' channels",
    "applications_q": "the SQL twin of reads_application (the case list)",
    "sees_applicant_name": "masking of the applicant's name, tests/disclosure/test_staff_pages.py",
    "registers_applications": "whether the desk offers 登记 at all (the user's own org)",
    "is_handler_of": "who may be named 承办人 of a department (input check of 分办)",
    "can_assign_to": "where a case may be assigned (input check of 分办)",
}


def _questions() -> set[str]:
    return {name for name, fn in inspect.getmembers(permissions, inspect.isfunction)
            if fn.__module__ == permissions.__name__ and not name.startswith("_")}


def test_every_permission_question_is_in_the_matrix():
    covered = {row.ask for row in ROWS} | set(NOT_ROWS) | set(EXTRA_ROWS_COVER)
    missing = _questions() - covered
    assert not missing, f"permission questions without a row of the matrix: {sorted(missing)}"


# Questions answered by rows defined in other matrix files (disclosure, reports, monitoring …).
EXTRA_ROWS_COVER: set[str] = set()


def _audited(user, fn) -> bool:
    """Did ``fn`` record an audit event by ``user``? Rolled back either way."""
    sid = transaction.savepoint()
    try:
        before = AuditEvent.objects.filter(actor=user).count() if user is not None else 0
        fn()
        return user is not None and AuditEvent.objects.filter(actor=user).count() > before
    finally:
        transaction.savepoint_rollback(sid)


def _service_allows(row: Row, obj_of, user) -> bool:
    if user is None:
        return False  # services are called by signed-in staff only
    sid = transaction.savepoint()
    try:
        row.service(obj_of(), user)
        return True
    except NotAllowed:
        return False
    except ServiceError as exc:  # the subject may act, the object's state or input said no
        raise AssertionError(f"{row.name}: {user} got {exc!r}, not a permission answer") from exc
    finally:
        transaction.savepoint_rollback(sid)


def _api_allows(row: Row, obj_of, subject: Subject) -> bool:
    sid = transaction.savepoint()
    try:
        r = row.api(subject.client(), obj_of())
    finally:
        transaction.savepoint_rollback(sid)
    assert r.status_code in (200, 201, 204, 401, 403, 404), (row.name, subject.label, r.status_code, r.content[:300])
    return r.status_code < 300


def _page_offers(row: Row, obj_of, subject: Subject) -> bool | None:
    """Does the page show the action's form? None when the subject cannot open the page."""
    obj = obj_of()
    page, action = row.page(obj)
    r = subject.client().get(page)
    if r.status_code != 200:
        return None
    html = r.content.decode()
    return any(f'action="{url}"' in html for url in [action, *(row.markers(obj) if row.markers else [])])


def _row_disagreements(world, row: Row) -> list[str]:
    sid = transaction.savepoint()  # each row's objects are its own
    try:
        return _cells(world, row)
    finally:
        transaction.savepoint_rollback(sid)


def _cells(world, row: Row) -> list[str]:
    obj_of = row.make(world)
    allowed, disagree = [], []
    for s in world.subjects:
        expected = row.expected(s.user, obj_of())
        if expected:
            allowed.append(s.label)
        got = {"service": _service_allows(row, obj_of, s.user)}
        if row.view is not None:
            got["view"] = _audited(s.user, lambda s=s: row.view(s.client(), obj_of()))
        if row.api is not None:
            got["api"] = _api_allows(row, obj_of, s)
        if row.page is not None:
            got["page"] = bool(_page_offers(row, obj_of, s))
        disagree += [f"{s.label}: permissions={expected} {channel}={answer}"
                     for channel, answer in got.items() if answer != expected]
    if not allowed:
        disagree.append("nobody may act: the row tests nothing")
    if len(allowed) >= len(world.subjects) - 1:
        disagree.append("almost everybody may act: the row tests nothing")
    return disagree


def test_services_views_and_api_agree_with_the_permission_module(world):
    """One world (40 users), every row; each cell in a savepoint that is rolled back."""
    report = {row.name: _row_disagreements(world, row) for row in ROWS}
    bad = {name: lines for name, lines in report.items() if lines}
    assert not bad, "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in bad.items())


def test_the_matrix_has_the_expected_shape(world):
    """A few cells written out by hand, from the rules in the module docstring, so a wrong
    question cannot pass the agreement test by agreeing with wrong channels."""
    by = {s.label: s.user for s in world.subjects}
    doc = Document.objects.get(pk=published(world)().pk)
    assert permissions.can_decide_withdrawal(by["principal@own"], doc)
    assert permissions.can_decide_withdrawal(by["deputy@own"], doc)
    assert not permissions.can_decide_withdrawal(by["principal@region"], doc)
    assert not permissions.can_decide_withdrawal(by["superuser"], doc)
    assert permissions.can_remove_document(by["supervisor@region"], doc)
    assert permissions.can_remove_document(by["supervisor@own"], doc)
    assert not permissions.can_remove_document(by["supervisor@sibling"], doc)
    assert not permissions.can_remove_document(by["supervisor@outside"], doc)
    assert permissions.reads_org(by["supervisor@region"], doc.org)
    assert not permissions.reads_org(by["clerk@region"], doc.org)
    assert permissions.reads_org(by["superuser"], doc.org)
    assert not permissions.acts_in_org(by["superuser"], doc.org)
