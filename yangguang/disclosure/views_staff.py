"""工作台 › 依申请公开: the list with traffic lights, registering letters, the application page."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yangguang.core import audit
from yangguang.core.errors import ServiceError
from yangguang.core.screening import mask_id_card, mask_name
from yangguang.core.workdays import Calendar
from yangguang.orgs import permissions
from yangguang.orgs.models import User
from yangguang.orgs.roles import Role

from . import actions, law, services, workbench
from .forms_staff import RegisterForm
from .models import Application, Letter, Remedy
from .workflow import State

LIGHT_LABELS = {"green": gettext_lazy("正常"), "yellow": gettext_lazy("临近期限"), "red": gettext_lazy("今日到期"),
                "overdue": gettext_lazy("已超期"), "paused": gettext_lazy("暂停计时")}


# The case history in words (办理记录): audit action → label; an unknown action shows as recorded.
HISTORY_LABELS = {
    "application.register": gettext_lazy("登记申请"), "application.accept": gettext_lazy("受理"),
    "application.assign": gettext_lazy("分办"), "application.request_correction": gettext_lazy("告知补正"),
    "application.receive_correction": gettext_lazy("收到补正"),
    "application.start_consultation": gettext_lazy("征求第三方意见"),
    "application.end_consultation": gettext_lazy("第三方意见期满或已答复"),
    "application.extension_request": gettext_lazy("申请延期"),
    "application.extension_refuse": gettext_lazy("驳回延期申请"),
    "application.extend": gettext_lazy("批准延期，签发延期答复告知书"),
    "application.fee_notice": gettext_lazy("发出收费通知"), "application.fee_paid": gettext_lazy("登记缴费"),
    "application.article35_date": gettext_lazy("依第35条另行确定答复期限"),
    "application.reply": gettext_lazy("答复办结"), "application.close_by_process": gettext_lazy("程序性办结"),
    "application.withdraw": gettext_lazy("申请人撤回"), "application.remedy": gettext_lazy("登记复议或诉讼"),
    "application.proof_add": gettext_lazy("上传申请材料"), "application.proof_view": gettext_lazy("查看申请材料"),
    "application.view_id": gettext_lazy("查看完整身份证明号码"), "application.import": gettext_lazy("导入历史数据"),
    "application.reply_file_add": gettext_lazy("上传答复附件"),
    "application.reply_file_remove": gettext_lazy("删除答复附件"),
    "application.reply_file_read": gettext_lazy("答复附件读取审查完成"),
    "application.reply_file_download": gettext_lazy("申请人下载答复附件"),
}
OTHER_ACTION = gettext_lazy("其他办理操作")


def history_rows(app: Application) -> list[dict]:
    return [{"at": h.created_at, "actor": h.actor_label, "label": HISTORY_LABELS.get(h.action, OTHER_ACTION)}
            for h in audit.history("disclosure.application", app.pk)]


def closed_label(app: Application, late: bool) -> str:
    """A closed application by Clock.is_late: 逾期答复 / 按期答复; closed without a reply (withdrawn,
    视为放弃): 逾期办结 / 按期办结."""
    if app.reply_type or app.outcome not in law.PROCESS_OUTCOMES:
        return str(_("逾期答复") if late else _("按期答复"))
    return str(_("逾期办结") if late else _("按期办结"))


def visible(user):
    """The applications on ``user``'s list (permissions.applications_q)."""
    return Application.objects.filter(permissions.applications_q(user))


def shown_name(user, app: Application) -> str:
    """A natural person's name is personal data: full only for the people handling the case.
    An organization's name is not masked."""
    if app.applicant_type != law.ApplicantType.NATURAL or permissions.sees_applicant_name(user, app):
        return app.applicant_name
    return mask_name(app.applicant_name)


def app_for(request, pk: int) -> Application:
    """The application of a staff page, or 404 for one the user does not read
    (permissions.reads_application): the case page, its actions and files."""
    app = get_object_or_404(Application.objects.select_related("org", "assigned_org", "handler"), pk=pk)
    if not permissions.reads_application(request.user, app):
        raise Http404
    return app


@login_required
def application_list(request):
    today = timezone.localdate()
    calendar = Calendar.from_db()
    show = request.GET.get("show", "open")
    qs = visible(request.user).select_related("org", "assigned_org").prefetch_related("clock_events")
    qs = qs.exclude(state=State.CLOSED) if show == "open" else qs.filter(state=State.CLOSED)
    rows = []
    for app in qs.order_by("received_date", "id")[:500]:
        clock = services.clock_of(app, calendar, today)
        if app.state == State.CLOSED:  # late stays late: 逾期答复, from the clock as of the closed date
            late = clock.is_late(calendar)
            light, label, clock = ("overdue" if late else "green"), closed_label(app, late), None
        else:
            light = clock.light(calendar, today)
            label = LIGHT_LABELS.get(light, "")
        rows.append({"app": app, "clock": clock, "light": light, "light_label": label,
                     "name": shown_name(request.user, app)})
    order = {"overdue": 0, "red": 1, "yellow": 2, "green": 3, "paused": 4, "": 5}
    rows.sort(key=lambda r: (order[r["light"]], r["clock"].due if r["clock"] and r["clock"].due else date.max))
    can_register = permissions.registers_applications(request.user)
    return render(request, "applications/list.html", {"rows": rows, "show": show, "can_register": can_register})


@login_required
def register(request):
    user = request.user
    if not permissions.registers_applications(user):
        messages.error(request, _("只有政务公开办或承办人可以登记申请。"))
        return redirect("applications:list")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.register(user.org, form.cleaned_data, by=user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            for d in exc.details:
                form.add_error(None, d)
        else:
            messages.success(request, _("已登记，申请编号%(number)s。") % {"number": app.number})
            return redirect("applications:detail", pk=app.pk)
    return render(request, "applications/register.html", {"form": form})


def _choice_label(choices, value: str) -> str:
    """A stored choice as its label; free text typed by staff (a letter's 信息形式) as typed."""
    return str(choices(value).label) if value in choices.values else value


@login_required
def detail(request, pk, reply_values: dict | None = None, reply_errors: list[str] | None = None):
    from .forms_public import DeliveryForm, DeliveryRoute
    from .notify import case_messages
    from .reconsideration import body_for

    app = app_for(request, pk)
    office = permissions.handles(request.user, app)
    calendar = Calendar.from_db()
    today = timezone.localdate()
    clock = services.clock_of(app, calendar, today)
    departments = app.org.subtree().order_by("path")
    handlers = User.objects.filter(permissions.region_q(app.org), role_grants__role=Role.HANDLER).select_related("org")
    late = clock.is_late(calendar)
    bench = workbench.for_user(request.user, app, today)
    reply_files = list(app.reply_files.all())
    context = {
        "app": app, "office": office, "clock": clock, "today": today,
        "light": clock.light(calendar, today) if app.state != State.CLOSED else "",
        "late": late, "overdue_since": clock.overdue_since(calendar),
        "closed_label": closed_label(app, late) if app.state == State.CLOSED else "",
        "ext": extension_context(request.user, app, today),
        "name": shown_name(request.user, app),
        "id_masked": mask_id_card(app.id_number) if app.id_number else "",
        "outcome_text": law.outcome_text(app.outcome),
        "reply_label": law.ReplyType(app.reply_type).label if app.reply_type in law.ReplyType.values else app.reply_type,
        "events": app.clock_events.select_related("actor", "approved_by"),
        "letters": app.letters.all(), "letter_kinds": Letter.Kind.choices,
        "remedies": app.remedies.all(), "remedy_kinds": Remedy.Kind.choices, "remedy_results": Remedy.Result.choices,
        "history": history_rows(app),
        "bench": bench, "can": bench.can,
        "is_office_head": permissions.can_decide_extension(request.user, app),
        "departments": departments, "handlers": handlers,
        "reply_types": law.ReplyType.choices, "outcomes": [(c, law.outcome_text(c)) for c in law.OUTCOMES],
        "reply": reply_values or {"on": today.isoformat()}, "reply_errors": reply_errors or [],
        "reply_files": reply_files, "reply_files_warned": any(f.warnings for f in reply_files),
        "body": body_for(app.org) if office else None,
        "case_messages": case_messages(request.user, app),
        "delivery_form": _choice_label(DeliveryForm, app.delivery_form),
        "delivery_route": _choice_label(DeliveryRoute, app.delivery_route),
        "reply_pairs_json": json.dumps({k: list(law.allowed_outcomes(k)) for k in
                                        [*law.ReplyType.values, law.REFUSE_TO_HANDLE]}),
        "process_outcomes": [(c, law.outcome_text(c)) for c in law.PROCESS_OUTCOMES if c != "6.3"],
        "fee_methods": law_fee_methods(),
        "channel_label": law.Channel(app.channel).label if app.channel in law.Channel.values else app.channel,
        "type_label": law.ApplicantType(app.applicant_type).label
        if app.applicant_type in law.ApplicantType.values else app.applicant_type,
    }
    return render(request, "applications/detail.html", context, status=400 if reply_errors else 200)


def extension_context(user, app: Application, today: date) -> dict:
    """What the case page shows about extensions: the requests so far, the pending one, and for
    this user the actions open to them — or why not (services.extension.*_blocker)."""
    ext = services.extension
    pending = ext.pending(app)
    can_request, can_decide = ext.can_request(user, app), ext.can_decide(user, app)
    blocker = ext.clock_blocker(app, today) if app.state != State.CLOSED else None
    used = ext.used_days(app)
    return {
        "requests": app.extension_requests.select_related("requested_by", "decided_by", "letter"),
        "pending": pending, "can_request": can_request, "can_decide": can_decide,
        "blocker": blocker, "used": used, "left": max(0, law.EXTENSION_MAX_DAYS - used),
        "max": law.EXTENSION_MAX_DAYS,
        "show": app.state != State.CLOSED and (can_request or can_decide or pending is not None),
    }


def law_fee_methods():
    from .fees import FeeMethod

    return FeeMethod.choices


@login_required
@require_POST
def reveal_id(request, pk):
    """The full ID number, for the people handling the case only; every look is in the audit log."""
    app = app_for(request, pk)
    if not permissions.handles(request.user, app):
        raise Http404
    with transaction.atomic():
        audit.record("application.view_id", app, actor=request.user, org_id=app.org_id, data={"field": "id_number"})
    return render(request, "applications/_id.html", {"app": app})


@login_required
@require_POST
def act(request, pk, action):
    """An action of the case page, through the one action table (actions.py) the staff API uses."""
    if action == "reply":  # through the confirmation page that shows the letter (views_reply.py)
        from .views_reply import reply

        return reply(request, pk)
    entry = actions.lookup(action)
    if entry is None or entry.name != action:
        raise Http404
    app = app_for(request, pk)
    _perform(request, entry, app)
    return redirect("applications:detail", pk=app.pk)


def _perform(request, entry: actions.DeskAction, app: Application) -> None:
    try:
        actions.perform(entry, app, request.user, request.POST)
    except ServiceError as exc:
        messages.error(request, exc.message)
        for d in exc.details:
            messages.error(request, d)
    else:
        messages.success(request, str(entry.done))


@login_required
@require_POST
def issue_letter(request, pk):
    app = app_for(request, pk)
    _perform(request, actions.ACTIONS["issue_letter"], app)
    return redirect("applications:detail", pk=app.pk)


@login_required
def letter_file(request, pk, letter_id, fmt):
    from django.http import FileResponse

    from .letters import letter_path

    app = app_for(request, pk)
    letter = get_object_or_404(app.letters, pk=letter_id)
    return letter_response(letter, fmt, FileResponse, letter_path)


def letter_response(letter, fmt, FileResponse, letter_path):
    from urllib.parse import quote

    if fmt not in ("docx", "pdf"):
        raise Http404
    name = letter.docx_name if fmt == "docx" else letter.pdf_name
    ctype = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    resp = FileResponse(letter_path(name).open("rb"), content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(letter.number)}.{fmt}"
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_POST
def upload_proof(request, pk):
    app = app_for(request, pk)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_proof_file(app, request.user, f.name, f.read())
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("材料已上传。"))
    return redirect("applications:detail", pk=app.pk)


@login_required
def proof_file(request, pk, file_id):
    """Only the people handling the case; each download is in the audit log."""
    from urllib.parse import quote

    from django.conf import settings
    from django.http import FileResponse

    app = app_for(request, pk)
    if not permissions.handles(request.user, app):
        raise Http404
    proof = get_object_or_404(app.proof_files, pk=file_id)
    with transaction.atomic():
        audit.record("application.proof_view", app, actor=request.user, org_id=app.org_id, data={"file": proof.pk})
    resp = FileResponse((settings.PRIVATE_STORAGE_DIR / "applications" / proof.stored_name).open("rb"),
                        content_type=proof.content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(proof.original_name)}"
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
