"""Staff endpoints for 依申请公开 (session auth; the caller's org, assigned department or region).

The actions (``/applications/{app_id}/actions/<name>``, and ``/reply``) are generated from the one
action table of the case page (yangguang/disclosure/actions.py): the same fields, the same
permission question and answer (403), the same service and its errors (400 input, 409 state or
deadline), one documented route and payload schema per action.
"""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import SessionAuth
from pydantic import Field, create_model

from yangguang.api.errors import ObjectId, limit_param, offset_param
from yangguang.core.errors import InvalidInput, NotAllowed, ServiceError
from yangguang.core.screening import mask_id_card
from yangguang.core.workdays import Calendar
from yangguang.disclosure import actions, services
from yangguang.disclosure.models import Application
from yangguang.disclosure.workflow import State
from yangguang.orgs import permissions

router = Router(auth=SessionAuth(), tags=["工作人员 · 依申请公开"])


class Error(Schema):
    detail: str
    errors: list[str] = []


class ApplicationOut(Schema):
    id: int
    number: str
    state: str
    applicant_type: str
    id_number_masked: str
    description: str
    channel: str
    received_date: date
    due_date: date | None
    provisional: bool
    light: str
    outcome: str
    closed_date: date | None


class ReplyFileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    state: str
    refusal: str
    warnings: list[dict]


def _file_out(f) -> dict:
    return {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256, "state": f.text_state,
            "refusal": f.refusal, "warnings": f.warnings}


def _out(app: Application, calendar: Calendar, today: date) -> dict:
    clock = services.clock_of(app, calendar, today)
    return {
        "id": app.pk, "number": app.number, "state": app.state, "applicant_type": app.applicant_type,
        "id_number_masked": mask_id_card(app.id_number) if app.id_number else "",
        "description": app.description, "channel": app.channel, "received_date": app.received_date,
        "due_date": clock.due if app.state != State.CLOSED else None, "provisional": clock.provisional,
        "light": clock.light(calendar, today) if app.state != State.CLOSED else "",
        "outcome": app.outcome, "closed_date": app.closed_date,
    }


def _fail(exc: ServiceError):
    status = 403 if isinstance(exc, NotAllowed) else 400 if isinstance(exc, InvalidInput) else 409
    return Status(status, {"detail": exc.message, "errors": exc.details})


def _app(request, app_id) -> Application:
    """The application, or 404 for one the caller does not read (the case page's rule)."""
    app = Application.objects.select_related("org", "assigned_org", "handler").filter(pk=app_id).first()
    if app is None or not permissions.reads_application(request.user, app):
        raise Http404
    return app


@router.get("/applications", response=list[ApplicationOut], summary="可见的申请（含答复期限与提示灯）")
def list_applications(request, open_only: bool = True, limit: int = limit_param(100, 500), offset: int = offset_param()):
    calendar, today = Calendar.from_db(), timezone.localdate()
    qs = Application.objects.filter(permissions.applications_q(request.user)).prefetch_related("clock_events").order_by("received_date", "id")
    if open_only:
        qs = qs.exclude(state=State.CLOSED)
    return [_out(a, calendar, today) for a in qs[offset: offset + limit]]


@router.get("/applications/{app_id}", response={200: ApplicationOut, 404: Error}, summary="申请详情")
def get_application(request, app_id: ObjectId):
    return _out(_app(request, app_id), Calendar.from_db(), timezone.localdate())


@router.get("/applications/{app_id}/reply-files", response={200: list[ReplyFileOut], 404: Error},
            summary="答复附件（随答复提供的信息）")
def list_reply_files(request, app_id: ObjectId):
    return [_file_out(f) for f in _app(request, app_id).reply_files.all()]


@router.post("/applications/{app_id}/reply-files",
             response={200: ReplyFileOut, 400: Error, 403: Error, 404: Error, 409: Error},
             summary="上传答复附件", description="与主动公开附件同样识别文件类型并做保密与隐私审查：有阻断性发现（身份证号、"
             "银行卡号、密级标志等）的文件拒绝上传；1秒内未能读取的文件由后台读取审查（state 为 pending），答复前须审查完成。")
def add_reply_file(request, app_id: ObjectId, file: File[UploadedFile]):
    app = _app(request, app_id)
    try:
        f = services.add_reply_file(app, request.user, file.name or "", file.read())
    except ServiceError as exc:
        return _fail(exc)
    return _file_out(f)


@router.delete("/applications/{app_id}/reply-files/{file_id}",
               response={204: None, 403: Error, 404: Error, 409: Error}, summary="删除答复附件（答复前）")
def remove_reply_file(request, app_id: ObjectId, file_id: ObjectId):
    app = _app(request, app_id)
    try:
        services.remove_reply_file(get_object_or_404(app.reply_files, pk=file_id), request.user)
    except ServiceError as exc:
        return _fail(exc)
    return 204, None


class ProofOut(Schema):
    id: int
    name: str
    size: int
    sha256: str


@router.post("/applications/{app_id}/proofs", response={200: ProofOut, 400: Error, 403: Error, 404: Error},
             summary="上传身份证明材料", description="PDF、JPG或PNG；存放在不可公开访问的位置，仅承办人员可以查看。")
def add_proof(request, app_id: ObjectId, file: File[UploadedFile]):
    app = _app(request, app_id)
    try:
        f = services.add_proof_file(app, request.user, file.name or "", file.read())
    except ServiceError as exc:
        return _fail(exc)
    return {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256}


# --- the actions, from the one action table (disclosure/actions.py) ---------------------------------

ACTION_RESPONSES = {200: ApplicationOut, 400: Error, 403: Error, 404: Error, 409: Error}
ACTION_NOTE = ("期限事件的日期（on）不得晚于今天、不得早于上一次期限事件；早于今天须填 backdate_reason（补录理由）。"
               "延期、征求意见、补正、收费通知须在答复期限内办理：答复期限已过时返回 409 和中文说明（条例第33条第二款）。"
               "无权办理时返回 403，说明与办理页面相同。")
TYPES = {actions.DATE: date | None, actions.INT: int | None, actions.TEXT: str, actions.BOOL: bool,
         actions.ORG: str, actions.USER: int | None}


def payload_schema(action: actions.DeskAction) -> type[Schema]:
    """The JSON body of an action: its fields from the table, documented."""
    fields = {}
    for f in action.fields:
        text = str(f.label)
        if f.choices:
            text += "。取值：" + " / ".join(f.choices())
        if f.default is actions.TODAY:
            text += "（省略时为今天）"
        default = ... if f.required else (None if f.default is actions.TODAY else f.default)
        if default is None and f.kind in (actions.TEXT, actions.ORG):
            default = ""
        fields[f.name] = (TYPES[f.kind], Field(default, description=text))
    name = "".join(part.title() for part in action.name.split("_")) + "In"
    return create_model(name, __base__=Schema, **fields)


def _perform(request, app_id, action: actions.DeskAction, payload: Schema):
    app = _app(request, app_id)
    try:
        app = actions.perform(action, app, request.user, payload.dict())
    except ServiceError as exc:
        return _fail(exc)
    app = Application.objects.get(pk=app.pk)
    return _out(app, Calendar.from_db(), timezone.localdate())


def _route(action: actions.DeskAction, path: str, name: str, summary: str, description: str = "") -> None:
    payload_type = payload_schema(action)

    def view(request, app_id: ObjectId, payload: payload_type):
        return _perform(request, app_id, action, payload)

    view.__name__ = f"act_{name}"
    router.post(path, response=ACTION_RESPONSES, summary=summary, operation_id=f"disclosure_staff_{name}",
                description=description or ACTION_NOTE)(view)


for _action in actions.TABLE:
    _route(_action, f"/applications/{{app_id}}/actions/{_action.name}", _action.name,
           f"{_action.label}（{_action.name}）")
    for _alias in _action.aliases:
        _route(_action, f"/applications/{{app_id}}/actions/{_alias}", _alias,
               f"{_action.label}（{_alias}，同 {_action.name}）")
_route(actions.ACTIONS["reply"], "/applications/{app_id}/reply", "reply_legacy", "答复办结",
       "同 actions/reply。" + ACTION_NOTE)


@router.post("/applications/{app_id}/actions/{action}", response={404: Error}, include_in_schema=False)
def unknown_action(request, app_id: ObjectId, action: str):
    _app(request, app_id)
    return Status(404, {"detail": _("未知的办理动作：%(action)s") % {"action": action}})
