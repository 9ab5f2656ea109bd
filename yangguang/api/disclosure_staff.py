"""Staff endpoints for 依申请公开 (session auth; the caller's org, assigned department or region)."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from yangguang.api.errors import ObjectId, limit_param, offset_param
from yangguang.core.errors import InvalidInput, NotAllowed, ServiceError
from yangguang.core.screening import mask_id_card
from yangguang.core.workdays import Calendar
from yangguang.disclosure import services
from yangguang.disclosure.models import Application
from yangguang.disclosure.views_staff import visible
from yangguang.disclosure.workflow import State

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


class ReplyIn(Schema):
    reply_type: str
    outcome: str
    on: date
    reason: str = ""  # 答复理由或获取途径, written into the 答复书 (required for some reply types)
    index_number: str = ""  # the published document's 索引号, for an 已经主动公开 reply
    files_checked: bool = False  # the screening warnings of the attached files have been checked
    backdate_reason: str = ""  # 补录理由: required when `on` is before today


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


@router.get("/applications", response=list[ApplicationOut], summary="可见的申请（含答复期限与提示灯）")
def list_applications(request, open_only: bool = True, limit: int = limit_param(100, 500), offset: int = offset_param()):
    calendar, today = Calendar.from_db(), timezone.localdate()
    qs = visible(request.user).prefetch_related("clock_events").order_by("received_date", "id")
    if open_only:
        qs = qs.exclude(state=State.CLOSED)
    return [_out(a, calendar, today) for a in qs[offset: offset + limit]]


@router.get("/applications/{app_id}", response={200: ApplicationOut, 404: Error}, summary="申请详情")
def get_application(request, app_id: ObjectId):
    app = get_object_or_404(visible(request.user), pk=app_id)
    return _out(app, Calendar.from_db(), timezone.localdate())


@router.post("/applications/{app_id}/reply", response={200: ApplicationOut, 400: Error, 403: Error, 404: Error,
                                                         409: Error}, summary="答复办结")
def reply(request, app_id: ObjectId, payload: ReplyIn):
    from yangguang.publishing.models import Document

    app = get_object_or_404(visible(request.user), pk=app_id)
    doc = Document.objects.public().filter(index_number=payload.index_number.strip()).first() \
        if payload.index_number.strip() else None
    try:
        app = services.reply(app, request.user, reply_type=payload.reply_type, outcome=payload.outcome, on=payload.on,
                             published_document=doc, reason=payload.reason, files_checked=payload.files_checked,
                             backdate_reason=payload.backdate_reason)
    except ServiceError as exc:
        return _fail(exc)
    return _out(app, Calendar.from_db(), timezone.localdate())


@router.get("/applications/{app_id}/reply-files", response={200: list[ReplyFileOut], 404: Error},
            summary="答复附件（随答复提供的信息）")
def list_reply_files(request, app_id: ObjectId):
    app = get_object_or_404(visible(request.user), pk=app_id)
    return [_file_out(f) for f in app.reply_files.all()]


@router.post("/applications/{app_id}/reply-files",
             response={200: ReplyFileOut, 400: Error, 403: Error, 404: Error, 409: Error},
             summary="上传答复附件", description="与主动公开附件同样识别文件类型并做保密与隐私审查：有阻断性发现（身份证号、"
             "银行卡号、密级标志等）的文件拒绝上传；1秒内未能读取的文件由后台读取审查（state 为 pending），答复前须审查完成。")
def add_reply_file(request, app_id: ObjectId, file: File[UploadedFile]):
    from yangguang.disclosure.services_reply import add_reply_file as add

    app = get_object_or_404(visible(request.user), pk=app_id)
    try:
        f = add(app, request.user, file.name or "", file.read())
    except ServiceError as exc:
        return _fail(exc)
    return _file_out(f)


@router.delete("/applications/{app_id}/reply-files/{file_id}",
               response={204: None, 403: Error, 404: Error, 409: Error}, summary="删除答复附件（答复前）")
def remove_reply_file(request, app_id: ObjectId, file_id: ObjectId):
    from yangguang.disclosure.services_reply import remove_reply_file as remove

    app = get_object_or_404(visible(request.user), pk=app_id)
    try:
        remove(get_object_or_404(app.reply_files, pk=file_id), request.user)
    except ServiceError as exc:
        return _fail(exc)
    return 204, None


class ActionIn(Schema):
    on: date | None = None
    until: date | None = None
    items: str = ""
    party: str = ""
    days: int = 0
    reason: str = ""
    department: str = ""  # org slug, for assign
    backdate_reason: str = ""  # 补录理由: required when `on` is before today
    comment: str = ""  # approve_extension_request: the approver's comment


@router.post("/applications/{app_id}/actions/{action}",
             response={200: ApplicationOut, 400: Error, 403: Error, 404: Error, 409: Error},
             summary="办理动作：accept / assign / request_correction / receive_correction / "
                     "start_consultation / end_consultation / extend / request_extension / "
                     "approve_extension_request / refuse_extension_request / withdraw",
             description="期限事件的日期（on）不得晚于今天、不得早于上一次期限事件；早于今天须填 backdate_reason（补录理由）。"
                         "延期、征求意见、补正须在答复期限内办理：答复期限已过时返回 409 和中文说明（条例第33条第二款）。")
def act(request, app_id: ObjectId, action: str, payload: ActionIn):
    from yangguang.disclosure import services_extension as ext
    from yangguang.orgs.models import Organization

    app = get_object_or_404(visible(request.user), pk=app_id)
    user, on, late = request.user, payload.on or timezone.localdate(), payload.backdate_reason

    def pending_request():
        ask = ext.pending(app)
        if ask is None:
            raise InvalidInput("该申请没有待审批的延期申请。")
        return ask

    handlers = {
        "accept": lambda: services.accept(app, user),
        "assign": lambda: services.assign(app, user, get_object_or_404(Organization, slug=payload.department)),
        "request_correction": lambda: services.request_correction(
            app, user, on=on, until=payload.until or on, items=payload.items, backdate_reason=late),
        "receive_correction": lambda: services.receive_correction(app, user, on=on, backdate_reason=late),
        "start_consultation": lambda: services.start_consultation(app, user, on=on, party=payload.party,
                                                                  backdate_reason=late),
        "end_consultation": lambda: services.end_consultation(app, user, on=on, backdate_reason=late),
        "extend": lambda: services.approve_extension(app, user, days=payload.days, reason=payload.reason, on=on,
                                                     backdate_reason=late),
        "request_extension": lambda: ext.request_extension(app, user, days=payload.days, reason=payload.reason)
        .application,
        "approve_extension_request": lambda: ext.approve_extension_request(
            pending_request(), user, on=on, comment=payload.comment, backdate_reason=late).application,
        "refuse_extension_request": lambda: ext.refuse_extension_request(
            pending_request(), user, reason=payload.reason).application,
        "withdraw": lambda: services.withdraw(app, user, on=on, backdate_reason=late),
    }
    if action not in handlers:
        return Status(404, {"detail": f"未知的办理动作：{action}"})
    try:
        app = handlers[action]()
    except ServiceError as exc:
        return _fail(exc)
    return _out(app, Calendar.from_db(), timezone.localdate())
