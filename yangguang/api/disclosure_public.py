"""Public 依申请公开 endpoints: submit an application, check its status with code + contact.

The same validation and abuse limits as the web pages (forms_public, ratelimit); nothing but
masked personal data comes back.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from yangguang.core.errors import InvalidInput
from yangguang.core.screening import mask_id_card, mask_name
from yangguang.disclosure import law, ratelimit, services
from yangguang.disclosure.forms_public import ApplicationForm, TrackForm
from yangguang.disclosure.models import Application
from yangguang.disclosure.tracking import contact_matches
from yangguang.disclosure.workflow import State
from yangguang.orgs.models import Organization

router = Router(tags=["公众 · 依申请公开"])


class Error(Schema):
    detail: str
    errors: list[str] = []
    retry_after: int | None = None


class ApplyIn(Schema):
    org: str  # the receiving agency's URL slug
    applicant_type: str = "natural"
    applicant_name: str
    id_number: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    address: str = ""
    description: str
    doc_reference: str = ""
    delivery_form: str = "electronic"
    delivery_route: str = "online"
    consent: bool


class Receipt(Schema):
    number: str
    tracking_code: str
    received_date: date
    due_date: date | None
    provisional: bool


class TrackIn(Schema):
    tracking_code: str
    contact: str


class StatusOut(Schema):
    number: str
    org: str
    state: str
    state_label: str
    received_date: date
    due_date: date | None
    explanation: list[str]
    applicant: str
    id_number: str
    outcome: str
    outcome_label: str
    closed_date: date | None


def _limited(verdict) -> Status:
    return Status(429, {"detail": _("请求过于频繁，请稍后再试。"), "retry_after": verdict.retry_after})


@router.post("/applications", response={201: Receipt, 400: Error, 429: Error}, summary="提交政府信息公开申请")
def submit(request, payload: ApplyIn):
    ip = ratelimit.client_ip(request)
    verdict = ratelimit.peek("apply_ip", ip)
    if not verdict.allowed:
        return _limited(verdict)
    data = payload.dict()
    org = Organization.objects.filter(slug=data.pop("org")).first()
    form = ApplicationForm({**data, "org": org.pk if org else "", "consent": "on" if data["consent"] else ""})
    if not form.is_valid():
        errors = [f"{form.fields[k].label if k in form.fields else ''}：{m}".lstrip("：")
                  for k, msgs in form.errors.items() for m in msgs]
        return Status(400, {"detail": _("申请信息有误。"), "errors": errors})
    fields = form.application_data()
    fields.update(channel=law.Channel.ONLINE, received_date=timezone.localdate())
    try:
        app = services.register(form.cleaned_data["org"], fields, by=None)
    except InvalidInput as exc:
        return Status(400, {"detail": exc.message, "errors": exc.details})
    ratelimit.hit("apply_ip", ip)
    clock = services.clock_of(app)
    return Status(201, {"number": app.number, "tracking_code": app.tracking_code, "received_date": app.received_date,
                        "due_date": clock.due, "provisional": clock.provisional})


@router.post("/status", response={200: StatusOut, 400: Error, 404: Error, 429: Error},
             summary="凭查询码和联系方式查询办理进度")
def status(request, payload: TrackIn):
    verdict = ratelimit.hit("track_ip", ratelimit.client_ip(request))
    if not verdict.allowed:
        return _limited(verdict)
    form = TrackForm({"code": payload.tracking_code, "contact": payload.contact})
    if not form.is_valid():
        return Status(400, {"detail": _("查询码或联系方式格式不正确。")})
    code = form.cleaned_data["code"]
    verdict = ratelimit.hit("track_code", code)
    if not verdict.allowed:
        return _limited(verdict)
    app = Application.objects.filter(tracking_code=code).select_related("org").first()
    if app is None or not contact_matches(app, form.cleaned_data["contact"]):
        return Status(404, {"detail": _("查询码或联系方式不正确。")})
    clock = services.clock_of(app)
    open_ = app.state != State.CLOSED
    return {
        "number": app.number, "org": app.org.name, "state": app.state, "state_label": str(State(app.state).label),
        "received_date": app.received_date, "due_date": clock.due if open_ else None,
        "explanation": clock.lines if open_ else [], "applicant": mask_name(app.applicant_name),
        "id_number": mask_id_card(app.id_number) if app.id_number else "", "outcome": app.outcome,
        "outcome_label": law.outcome_label(app.outcome) if app.outcome else "", "closed_date": app.closed_date,
    }
