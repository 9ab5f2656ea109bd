"""Public 依申请公开 pages: the online application, its receipt, tracking, status and withdrawal.

Who may see what:
- the receipt only in the browser session that submitted the application; the full tracking
  code only the first time the receipt is shown;
- the status page only for applications verified in this session with tracking code + the
  phone or e-mail given (never the code alone); the applicant's name and ID number only masked.
Abuse limits: ratelimit.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yangguang.core.errors import IllegalTransition, InvalidInput, ServiceError
from yangguang.core.screening import mask_id_card, mask_name
from yangguang.core.workdays import Calendar, weekday_name
from yangguang.orgs.models import Organization

from . import law, ratelimit, services, timeline
from .forms_public import ApplicationForm, DeliveryForm, DeliveryRoute, TrackForm
from .models import Application
from .tracking import contact_matches
from .views_reply import applicant_download, applicant_files
from .views_staff import closed_label
from .workflow import OPEN_STATES, State

SUBMITTED = "apply_submitted"  # {"id": pk, "code_shown": bool}: the application this session just filed
VERIFIED = "apply_verified"  # [pk, ...]: applications this session proved it may follow
MAX_VERIFIED = 10
# One message for a wrong code and a wrong contact alike: never say which part was wrong.
MISMATCH = gettext_lazy("查询码或联系方式不正确。")


def _limited(request, verdict: ratelimit.Verdict):
    minutes = max(1, -(-verdict.retry_after // 60))
    retry_at = timezone.localtime() + timedelta(seconds=verdict.retry_after)
    response = render(request, "apply/limited.html", {"minutes": minutes, "retry_at": retry_at}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def _masked(app: Application) -> dict:
    return {"name": mask_name(app.applicant_name), "id_number": mask_id_card(app.id_number) if app.id_number else ""}


def _mask_code(code: str) -> str:
    return code[:4] + "*" * (len(code) - 4)


def _groups(code: str) -> list[str]:
    return [code[i:i + 4] for i in range(0, len(code), 4)]


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        verdict = ratelimit.peek("apply_ip", ip)
        if not verdict.allowed:
            return _limited(request, verdict)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            data = form.application_data()
            # 条例第31条: online, the receipt date is the day the system issues the receipt — today.
            data.update(channel=law.Channel.ONLINE, received_date=timezone.localdate())
            try:
                app = services.register(form.cleaned_data["org"], data, by=None)
            except InvalidInput as e:
                for problem in e.details or [e.message]:
                    form.add_error(None, problem)
            else:
                ratelimit.hit("apply_ip", ip)
                request.session.cycle_key()
                request.session[SUBMITTED] = {"id": app.pk, "code_shown": False}
                return redirect("apply:receipt")
    else:
        initial = {}
        slug = request.GET.get("org")
        if slug:
            initial["org"] = Organization.objects.filter(slug=slug).first()
        form = ApplicationForm(initial=initial)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "apply/form.html", {"form": form}, status=status)


def _clock_context(app: Application) -> dict:
    """The clock (a closed application's as of its closed date) and whether the application is
    or was late: 已超期 while open, 逾期答复 once closed — it stays so (clock.py)."""
    from yangguang.core.workdays import Calendar

    calendar = Calendar.from_db()
    clk = services.clock_of(app, calendar)
    return {
        "clock": clk,
        "due_weekday": weekday_name(clk.due) if clk.due else "",
        "late": clk.is_late(calendar),
        "overdue_since": clk.overdue_since(calendar),
    }


@never_cache
def receipt(request):
    info = request.session.get(SUBMITTED)
    if not isinstance(info, dict) or "id" not in info:
        raise Http404
    app = get_object_or_404(Application.objects.select_related("org"), pk=info["id"])
    show_code = not info.get("code_shown")
    if show_code:
        request.session[SUBMITTED] = {**info, "code_shown": True}
    context = {
        "app": app,
        "show_code": show_code,
        # in groups of four, easier to copy by hand; the tracking form ignores spaces
        "code_groups": _groups(app.tracking_code if show_code else _mask_code(app.tracking_code)),
        "receipt_rule": law.RECEIPT_RULE[law.Channel.ONLINE],
        "received_weekday": weekday_name(app.received_date),
        "applicant_type": _choice_label(law.ApplicantType, app.applicant_type),
        "delivery_form": _choice_label(DeliveryForm, app.delivery_form),
        "delivery_route": _choice_label(DeliveryRoute, app.delivery_route),
        "masked": _masked(app),
        "reply_days": law.REPLY_DAYS,
        "correction_days": law.CORRECTION_NOTICE_DAYS,
        "extension_days": law.EXTENSION_MAX_DAYS,
        **_clock_context(app),
    }
    return render(request, "apply/receipt.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        ip_verdict = ratelimit.hit("track_ip", ip)
        if not ip_verdict.allowed:
            return _limited(request, ip_verdict)
        form = TrackForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            code_verdict = ratelimit.hit("track_code", f"{code}|{ip}")  # per (code, client)
            if not code_verdict.allowed:
                return _limited(request, code_verdict)
            app = Application.objects.filter(tracking_code=code).first()
            if contact_matches(app, form.cleaned_data["contact"]) and app is not None:
                verified = [pk for pk in request.session.get(VERIFIED, []) if pk != app.pk]
                request.session.cycle_key()
                request.session[VERIFIED] = (verified + [app.pk])[-MAX_VERIFIED:]
                return redirect("apply:status", pk=app.pk)
            form.add_error(None, MISMATCH)
    else:
        form = TrackForm()
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "apply/track.html", {"form": form}, status=status)


def _verified_app(request, pk: int) -> Application:
    if pk not in request.session.get(VERIFIED, []):
        raise Http404
    return get_object_or_404(Application.objects.select_related("org"), pk=pk)


@never_cache
def status(request, pk: int):
    app = _verified_app(request, pk)
    is_open = app.state in OPEN_STATES
    clock_context = _clock_context(app)
    letters = list(app.letters.filter(kind__in=APPLICANT_LETTERS))
    outcome_text = law.outcome_text(app.outcome)
    clk = clock_context["clock"]
    context = {
        "app": app,
        "is_open": is_open,
        "state_label": State(app.state).label,
        "outcome_text": outcome_text,
        "timeline": timeline.applicant_timeline(app, letters, outcome_text),
        "correction": timeline.open_correction(app) if is_open and clk.awaiting_correction else None,
        "days_left": clk.remaining(Calendar.from_db(), timezone.localdate())
        if is_open and clk.due and not clk.awaiting_correction and not clk.paused_now else None,
        "received_weekday": weekday_name(app.received_date),
        "applicant_type": _choice_label(law.ApplicantType, app.applicant_type),
        "masked": _masked(app),
        "letters": letters,
        "reply_files": applicant_files(app),
        **clock_context,
        "closed_label": "" if is_open else closed_label(app, clock_context["late"]),
    }
    return render(request, "apply/status.html", context)


@never_cache
@require_POST
def withdraw(request, pk: int):
    app = _verified_app(request, pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("请先勾选“确认撤回本申请”，再点击“撤回申请”。"))
        return redirect("apply:status", pk=pk)
    try:
        services.withdraw(app, None, on=timezone.localdate())
    except IllegalTransition:
        messages.error(request, _("该申请已经办结，不能撤回。"))
    else:
        messages.success(request, _("您的申请已撤回，本申请办结。"))
    return redirect("apply:status", pk=pk)



# Letters the applicant receives (the consultation letter goes to the third party, not to them).
APPLICANT_LETTERS = ("receipt", "correction", "extension", "fee", "reply", "refuse_to_handle")


@never_cache
@require_POST
def correct(request, pk: int):
    app = _verified_app(request, pk)
    try:
        services.applicant_correction(app, text=request.POST.get("text", ""), on=timezone.localdate())
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("补正已提交，答复期限自今日起重新计算。"))
    return redirect("apply:status", pk=pk)


@never_cache
def letter(request, pk: int, letter_id: int, fmt: str):
    from django.http import FileResponse

    from .letters import letter_path
    from .views_staff import letter_response

    app = _verified_app(request, pk)
    item = get_object_or_404(app.letters.filter(kind__in=APPLICANT_LETTERS), pk=letter_id)
    return letter_response(item, fmt, FileResponse, letter_path)


@never_cache
def reply_file(request, pk: int, file_id: int):
    """The information released with the reply, for the applicant verified in this session."""
    return applicant_download(_verified_app(request, pk), file_id)
