"""The staff workbench (工作台): drafts, review queue, editor, document page, history."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput, ServiceError
from yangguang.orgs import permissions
from yangguang.orgs.roles import Role

from .. import services
from ..forms import EditionForm, ReasonForm, RegisterFilterForm, UploadForm
from ..models import Column, Document, Edition, ScreeningFinding
from ..register import register_events, register_xlsx
from ..services.actions import edition_actions, shown_withdrawal
from ..services.publication import pending_withdrawal
from ..services.review import edition_chain, my_drafts, review_queue, role_for_level
from ..services.screening import open_problems
from ..workflow import EDITABLE_STATES, State
from .helpers import document_for, edition_for, highlight, report_error


@login_required
def home(request):
    user = request.user
    retro = []
    if permissions.sees_retro_queue(user):
        retro = Document.objects.filter(org_id=user.org_id, retro_review_pending=True).select_related("live_edition")
    from yangguang.core.models import Notification

    return render(request, "workbench/home.html", {
        "notifications": Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:20],
        "drafts": my_drafts(user)[:50],
        "queue": review_queue(user),
        "retro": retro,
        "is_clerk": permissions.can_draft(user, user.org),
    })


@login_required
def create(request):
    user = request.user
    if not permissions.can_draft(user, user.org):
        messages.error(request, gettext("只有信息员可以起草文件。"))
        return redirect("workbench:home")
    form = EditionForm(request.POST or None, org=user.org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        column = data.pop("column")
        try:
            edition = services.create_draft(user, column, data)
        except ServiceError as exc:
            report_error(request, exc)
        else:
            messages.success(request, gettext("草稿已保存。"))
            return redirect("workbench:edition", pk=edition.pk)
    return render(request, "workbench/edit.html", {"form": form, "edition": None})


@login_required
def edit(request, pk):
    edition = edition_for(request, pk)
    if edition.state not in EDITABLE_STATES:
        messages.error(request, gettext("该版本不在可修改状态。"))
        return redirect("workbench:edition", pk=pk)
    doc = edition.document
    initial = {"column": doc.column_id}
    form = EditionForm(request.POST or None, instance=edition, org=doc.org, number=edition.number,
                       lock_column=doc.live_edition_id is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "column"}
        column = form.cleaned_data.get("column")
        edition.refresh_from_db()  # the form mutated the instance; the service applies the change
        try:
            services.update_draft(edition, request.user, data, column=column)
        except ServiceError as exc:
            report_error(request, exc)
        else:
            messages.success(request, gettext("已保存。"))
            return redirect("workbench:edition", pk=pk)
    return render(request, "workbench/edit.html", {"form": form, "edition": edition})


@login_required
def detail(request, pk):
    edition = edition_for(request, pk)
    doc = edition.document
    findings = list(edition.findings.select_related("accepted_by"))
    blocking, warnings = open_problems(findings)
    body_findings = [f for f in findings if f.source == "body"]
    chain = edition_chain(edition)
    pending = shown_withdrawal(edition)
    actions = edition_actions(request.user, edition, pending=pending)
    return render(request, "workbench/detail.html", {
        "edition": edition,
        "doc": doc,
        "findings": findings,
        "blocking": blocking,
        "warnings": warnings,
        "body_segments": highlight(edition.body_text, body_findings),
        "chain": [(i + 1, Role(r).label) for i, r in enumerate(chain)],
        "current_role": Role(role_for_level(edition)).label if role_for_level(edition) else "",
        "pending_withdrawal": pending,
        **{f"can_{name}": allowed for name, allowed in actions.items()},
        "other_editions": doc.editions.exclude(pk=edition.pk).order_by("-number"),
        "history": audit.history("publishing.edition", edition.pk),
        "doc_history": audit.history("publishing.document", doc.pk),
        "reason_form": ReasonForm(),
        "upload_form": UploadForm(),
        "policies": Document.objects.public().filter(org=doc.org).exclude(pk=doc.pk)
        .select_related("live_edition").order_by("-first_published_at")[:100],
    })


def _act(request, pk, fn, ok: str):
    edition = edition_for(request, pk)
    try:
        fn(edition)
    except ServiceError as exc:
        report_error(request, exc)
    else:
        messages.success(request, ok)
    return redirect("workbench:edition", pk=pk)


def _reason(request) -> str:
    return (request.POST.get("reason") or "").strip()


@login_required
@require_POST
def submit(request, pk):
    return _act(request, pk, lambda e: services.submit(e, request.user), gettext("已送审。"))


@login_required
@require_POST
def approve(request, pk):
    return _act(request, pk, lambda e: services.approve(e, request.user, _reason(request)), gettext("已审核通过。"))


@login_required
@require_POST
def return_(request, pk):
    return _act(request, pk, lambda e: services.return_edition(e, request.user, _reason(request)),
                gettext("已退回起草人。"))


@login_required
@require_POST
def urgent(request, pk):
    return _act(request, pk, lambda e: services.urgent_publish(e, request.user, _reason(request)),
                gettext("已紧急发布，进入事后审核队列。"))


@login_required
@require_POST
def discard(request, pk):
    return _act(request, pk, lambda e: services.discard_draft(e, request.user, _reason(request)),
                gettext("草稿已作废。"))


@login_required
@require_POST
def upload(request, pk):
    edition = edition_for(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("请选择要上传的文件。"))
    else:
        f = form.cleaned_data["file"]
        try:
            services.add_attachment(edition, request.user, f.name, f.read())
        except ServiceError as exc:
            report_error(request, exc)
        else:
            messages.success(request, gettext("附件“%(name)s”已上传并完成审查。") % {"name": f.name})
    return redirect("workbench:edition", pk=pk)


@login_required
@require_POST
def remove_attachment(request, pk, att_id):
    edition = edition_for(request, pk)
    att = edition.attachments.filter(public_id=att_id).first()
    if att is None:
        messages.error(request, gettext("附件不存在。"))
    else:
        try:
            services.remove_attachment(att, request.user)
        except ServiceError as exc:
            report_error(request, exc)
        else:
            messages.success(request, gettext("附件已删除。"))
    return redirect("workbench:edition", pk=pk)


@login_required
@require_POST
def accept(request, pk, finding_id):
    edition = edition_for(request, pk)
    finding = edition.findings.filter(pk=finding_id).first()
    if finding is None:
        messages.error(request, gettext("审查发现已更新，请刷新页面。"))
    else:
        try:
            services.accept_finding(finding, request.user, _reason(request))
        except ServiceError as exc:
            report_error(request, exc)
        else:
            messages.success(request, gettext("已确认该审查发现。"))
    return redirect("workbench:edition", pk=pk)


def _doc_act(request, pk, fn, ok: str, to_edition=None):
    doc = document_for(request, pk)
    try:
        result = fn(doc)
    except ServiceError as exc:
        report_error(request, exc)
        target = doc.live_edition_id or doc.editions.order_by("-number").first().pk
    else:
        messages.success(request, ok)
        target = result.pk if isinstance(result, Edition) else (doc.live_edition_id or doc.editions.order_by("-number").first().pk)
    return redirect("workbench:edition", pk=target)


@login_required
@require_POST
def new_edition(request, pk):
    return _doc_act(request, pk, lambda d: services.start_new_edition(d, request.user),
                    gettext("已创建新版本草稿；现行版本保持公开，直到新版本审定发布。"))


@login_required
@require_POST
def withdraw(request, pk):
    """A leader's direct withdrawal."""
    return _doc_act(request, pk, lambda d: services.withdraw(d, request.user, _reason(request)),
                    gettext("文件已撤回，公开页面显示撤回说明。"))


@login_required
@require_POST
def request_withdrawal(request, pk):
    return _doc_act(request, pk, lambda d: services.request_withdrawal(d, request.user, _reason(request)),
                    gettext("撤回申请已提交，等待本机构主要领导或分管领导审批。"))


def _decide_withdrawal(request, pk, decide, ok: str):
    def act(doc):
        ask = pending_withdrawal(doc)
        if ask is None or str(ask.pk) != request.POST.get("request", ""):
            raise IllegalTransition(gettext("该撤回申请已被处理或已变更，请刷新页面后再操作。"))
        return decide(ask)

    return _doc_act(request, pk, act, ok)


@login_required
@require_POST
def approve_withdrawal(request, pk):
    return _decide_withdrawal(request, pk, lambda ask: services.approve_withdrawal(ask, request.user, _reason(request)),
                              gettext("已批准撤回，公开页面显示撤回说明。"))


@login_required
@require_POST
def refuse_withdrawal(request, pk):
    return _decide_withdrawal(request, pk, lambda ask: services.refuse_withdrawal(ask, request.user, _reason(request)),
                              gettext("已驳回撤回申请，文件保持公开。"))


@login_required
@require_POST
def retro(request, pk):
    return _doc_act(request, pk, lambda d: services.complete_retro_review(d, request.user, _reason(request)),
                    gettext("事后审核已完成。"))


@login_required
@require_POST
def interpretation(request, pk):
    policy_id = request.POST.get("policy")
    form = request.POST.get("form", "")

    def link(doc):
        policy = None
        if policy_id:
            # Another org's unpublished document answers exactly like a missing id, so staff
            # cannot probe which internal ids exist.
            linkable = Document.objects.filter(org_id=doc.org_id) | Document.objects.public()
            policy = linkable.filter(pk=policy_id).first() if str(policy_id).isdigit() else None
            if policy is None:
                raise InvalidInput(gettext("找不到可关联的政策文件：只能关联已公开的政策文件或本机构的文件。"))
        return services.link_interpretation(doc, policy, form, request.user)

    return _doc_act(request, pk, link, gettext("已更新解读关联。"))


@login_required
@require_POST
def live_screen(request):
    """htmx: screen the editor's title and body as the clerk types."""
    from ..services.common import html_to_text, sanitize_body

    edition = Edition(title=request.POST.get("title", ""))
    edition.body_text = html_to_text(sanitize_body(request.POST.get("body", "")))
    from ..services.screening import findings_for

    findings = findings_for(edition)
    body_findings = [f for f in findings if f.source == "body"]
    return render(request, "workbench/_findings.html", {
        "findings": findings, "live": True,
        "body_segments": highlight(edition.body_text, body_findings) if body_findings else [],
        "blocking": sum(f.severity == ScreeningFinding.Severity.BLOCKING for f in findings),
    })


@login_required
def catalog(request):
    org = request.user.org
    columns = Column.objects.filter(org=org).order_by("position", "id") if org else Column.objects.none()
    latest = Prefetch("editions", queryset=Edition.objects.only("id", "number", "title", "document_id").order_by("number"))
    docs = list(
        Document.objects.filter(org=org).select_related("live_edition", "column").prefetch_related(latest)
        .order_by("-created_at")[:200] if org else []
    )
    for d in docs:
        editions = list(d.editions.all())  # prefetched, ordered by number
        d.latest_edition = editions[-1] if editions else None
    counts = {}
    for d in Document.objects.public().filter(org=org).values_list("column_id", flat=True) if org else []:
        counts[d] = counts.get(d, 0) + 1
    return render(request, "workbench/catalog.html", {
        "columns": [(c, counts.get(c.id, 0)) for c in columns], "documents": docs, "org": org,
    })


@login_required
def register(request):
    org = request.user.org
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or {"start": date(today.year, 1, 1), "end": today})
    events = []
    if org and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if request.GET.get("format") == "xlsx":
            resp = HttpResponse(
                register_xlsx(org, start, end),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            resp["Content-Disposition"] = f"attachment; filename=register-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            return resp
        events = register_events(org, start, end)
    return render(request, "workbench/register.html", {"form": form, "events": events, "org": org})


@login_required
def documents(request):
    state = request.GET.get("state", "")
    # Supervisors (政务公开办) read their whole region; everybody else their own org.
    qs = (
        Edition.objects.filter(permissions.readable_orgs_q(request.user, "document__org"))
        .select_related("document", "document__column", "document__org").order_by("-updated_at")
    )
    if state in State.values:
        qs = qs.filter(state=state)
    return render(request, "workbench/documents.html", {"editions": qs[:300], "states": State.choices, "state": state})
