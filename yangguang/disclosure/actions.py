"""The one table of what staff do on a 依申请公开 case: action name → its fields, the permission
question asked first (yangguang.orgs.permissions) with its answer, and the service function.

The case page (views_staff.act, views_staff.issue_letter, views_reply) and the staff API
(api/disclosure_staff.py: one documented route per action) both go through ``perform``: the same
permission answer, the same input rules and the same service, whichever door is used. A form
posts strings; the API posts typed JSON; ``parse`` takes either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.orgs import permissions

from . import law, services
from .fees import FeeMethod
from .models import Application, Letter, Remedy
from .services import extension

DATE, INT, TEXT, BOOL, ORG, USER = "date", "int", "text", "bool", "org", "user"
TODAY = object()  # a date field's default: today


@dataclass(frozen=True)
class Field:
    """One input of an action. ``missing``: the message when it is left empty (checked here);
    ``required``: the API schema requires it."""

    name: str
    kind: str
    label: Promise
    default: object = None
    missing: Promise | None = None
    required: bool = False
    choices: Callable[[], list[str]] | None = None  # the values it takes (documented in the API)


@dataclass(frozen=True)
class DeskAction:
    """An action of the case page and the staff API. ``allowed(user, app)`` is the permission
    question; ``refused`` its answer when no (the service asks it again, with the same answer)."""

    name: str
    label: Promise
    fields: tuple[Field, ...]
    allowed: Callable
    refused: Promise
    run: Callable  # run(app, user, args) -> Application (or an object with .application)
    done: Promise = gettext_lazy("已办理。")
    aliases: tuple[str, ...] = ()  # older API names of the same action


def _on(label: Promise) -> Field:
    return Field("on", DATE, label, default=TODAY)


LATE = Field("backdate_reason", TEXT, gettext_lazy("补录理由（日期早于今天时必填）"), default="")
DAYS = Field("days", INT, gettext_lazy("延长工作日数"), default=0)
REASON = Field("reason", TEXT, gettext_lazy("理由"), default="")
REQUEST = Field("request", INT, gettext_lazy("延期申请编号（省略时为待审批的那一件）"))


def _pending(app: Application, request_id):
    """The pending extension request, checked to be the one the page showed (``request``)."""
    ask = extension.pending(app)
    if request_id is not None:
        if ask is None or ask.pk != request_id:
            raise InvalidInput(_("该延期申请已经审批或不存在，请刷新页面。"))
    elif ask is None:
        raise InvalidInput(_("该申请没有待审批的延期申请。"))
    return ask


def _published(index_number: str):
    from yangguang.publishing.models import Document

    index_number = (index_number or "").strip()
    return Document.objects.public().filter(index_number=index_number).first() if index_number else None


def reply_kwargs(a: dict) -> dict:
    """The arguments of services.reply / services.check_reply from the parsed reply fields."""
    return {"reply_type": a["reply_type"], "outcome": a["outcome"], "on": a["on"], "reason": a["reason"],
            "published_document": _published(a["index_number"]), "backdate_reason": a["backdate_reason"]}


def _letter(app, user, a):
    from . import letters

    return letters.issue(app, user, a["kind"], reason=a["reason"], where=a["where"])


HANDLES, NOT_HANDLER = permissions.handles, services.NOT_HANDLER

TABLE: tuple[DeskAction, ...] = (
    DeskAction("accept", gettext_lazy("受理"), (), HANDLES, NOT_HANDLER, lambda app, u, a: services.accept(app, u)),
    DeskAction("request_correction", gettext_lazy("告知补正"), (
        _on(gettext_lazy("告知日期")),
        Field("until", DATE, gettext_lazy("补正期限"), missing=gettext_lazy("请填写补正期限。")),
        Field("items", TEXT, gettext_lazy("需要补正的事项"), default=""), LATE,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.request_correction(
        app, u, on=a["on"], until=a["until"], items=a["items"], backdate_reason=a["backdate_reason"])),
    DeskAction("receive_correction", gettext_lazy("登记收到补正"), (_on(gettext_lazy("收到补正日期")), LATE),
               HANDLES, NOT_HANDLER, lambda app, u, a: services.receive_correction(
                   app, u, on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("assign", gettext_lazy("分办"), (
        Field("department", ORG, gettext_lazy("承办机构（slug 或编号）"), missing=gettext_lazy("请选择承办机构。")),
        Field("handler", USER, gettext_lazy("承办人（用户编号，可选）")),
    ), permissions.can_assign, services.ASSIGN_REFUSED,
        lambda app, u, a: services.assign(app, u, a["department"], a["handler"])),
    DeskAction("start_consultation", gettext_lazy("征求第三方意见"), (
        _on(gettext_lazy("发出征求意见日期")), Field("party", TEXT, gettext_lazy("第三方"), default=""), LATE,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.start_consultation(
        app, u, on=a["on"], party=a["party"], backdate_reason=a["backdate_reason"])),
    DeskAction("end_consultation", gettext_lazy("结束征求意见"), (_on(gettext_lazy("第三方答复或期满日期")), LATE),
               HANDLES, NOT_HANDLER, lambda app, u, a: services.end_consultation(
                   app, u, on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("extend", gettext_lazy("直接批准延期"), (DAYS, REASON, _on(gettext_lazy("批准日期")), LATE),
               permissions.can_decide_extension, extension.DIRECT_REFUSED,
               lambda app, u, a: services.approve_extension(app, u, days=a["days"], reason=a["reason"], on=a["on"],
                                                            backdate_reason=a["backdate_reason"])),
    DeskAction("request_extension", gettext_lazy("申请延期"), (DAYS, REASON), HANDLES, extension.REQUEST_REFUSED,
               lambda app, u, a: services.request_extension(app, u, days=a["days"], reason=a["reason"])),
    DeskAction("approve_extension", gettext_lazy("批准延期申请"), (
        REQUEST, _on(gettext_lazy("批准日期")), Field("comment", TEXT, gettext_lazy("审批意见"), default=""), LATE,
    ), permissions.can_decide_extension, extension.APPROVE_REFUSED,
        lambda app, u, a: services.approve_extension_request(
            _pending(app, a["request"]), u, on=a["on"], comment=a["comment"], backdate_reason=a["backdate_reason"]),
        aliases=("approve_extension_request",)),
    DeskAction("refuse_extension", gettext_lazy("驳回延期申请"), (REQUEST, Field("reason", TEXT, gettext_lazy("驳回理由"),
                                                                              default="")),
               permissions.can_decide_extension, extension.REFUSE_REFUSED,
               lambda app, u, a: services.refuse_extension_request(_pending(app, a["request"]), u, reason=a["reason"]),
               aliases=("refuse_extension_request",)),
    DeskAction("fee_notice", gettext_lazy("收费通知"), (
        Field("method", TEXT, gettext_lazy("收费方式"), default="", choices=lambda: list(FeeMethod.values)),
        Field("pages", INT, gettext_lazy("页数（按量计收）")), _on(gettext_lazy("收费通知日期")), LATE,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.issue_fee_notice(
        app, u, method=a["method"], pages=a["pages"], on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("fee_paid", gettext_lazy("登记缴费"), (_on(gettext_lazy("缴费日期")), LATE), HANDLES, NOT_HANDLER,
               lambda app, u, a: services.record_payment(app, u, on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("article35", gettext_lazy("第35条：另行确定答复期限"), (
        _on(gettext_lazy("告知日期")),
        Field("new_due", DATE, gettext_lazy("另行确定的答复期限"), missing=gettext_lazy("请填写另行确定的答复期限。")),
        REASON,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.set_article35_date(
        app, u, on=a["on"], new_due=a["new_due"], reason=a["reason"])),
    DeskAction("close_by_process", gettext_lazy("程序性办结"), (
        Field("outcome", TEXT, gettext_lazy("办理结果代码"), default="",
              choices=lambda: [c for c in law.PROCESS_OUTCOMES if c != "6.3"]), _on(gettext_lazy("办结日期")),
        LATE,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.close_by_process(
        app, u, outcome=a["outcome"], on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("withdraw", gettext_lazy("登记申请人撤回"), (_on(gettext_lazy("撤回日期")), LATE), HANDLES, NOT_HANDLER,
               lambda app, u, a: services.withdraw(app, u, on=a["on"], backdate_reason=a["backdate_reason"])),
    DeskAction("remedy", gettext_lazy("登记复议或诉讼"), (
        Field("kind", TEXT, gettext_lazy("类型"), default="", choices=lambda: list(Remedy.Kind.values)),
        _on(gettext_lazy("提起日期")), Field("result", TEXT, gettext_lazy("结果"), default="pending",
                                                   choices=lambda: list(Remedy.Result.values)),
        Field("result_date", DATE, gettext_lazy("审结日期（已审结时填写）")), Field("note", TEXT, gettext_lazy("备注"),
                                                                               default=""),
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.record_remedy(
        app, u, kind=a["kind"], filed_date=a["on"], result=a["result"], result_date=a["result_date"], note=a["note"])),
    DeskAction("issue_letter", gettext_lazy("签发文书"), (
        Field("kind", TEXT, gettext_lazy("文书类型"), default="", choices=lambda: list(Letter.Kind.values)),
        Field("reason", TEXT, gettext_lazy("理由或获取途径（更正答复书时填写）"), default=""),
        Field("where", TEXT, gettext_lazy("获取途径"), default=""),
    ), HANDLES, NOT_HANDLER, _letter, done=gettext_lazy("文书已签发。")),
    DeskAction("reply", gettext_lazy("答复办结"), (
        Field("reply_type", TEXT, gettext_lazy("答复类型"), required=True,
              choices=lambda: [*law.ReplyType.values, law.REFUSE_TO_HANDLE]),
        Field("outcome", TEXT, gettext_lazy("办理结果代码（与答复类型一致）"), required=True),
        Field("on", DATE, gettext_lazy("答复日期"), default=TODAY),
        Field("reason", TEXT, gettext_lazy("答复理由或获取途径（写入答复书）"), default=""),
        Field("index_number", TEXT, gettext_lazy("已主动公开文件的索引号（答复“已经主动公开”时）"), default=""),
        Field("files_checked", BOOL, gettext_lazy("已核实答复附件的审查提示"), default=False), LATE,
    ), HANDLES, NOT_HANDLER, lambda app, u, a: services.reply(
        app, u, files_checked=a["files_checked"], **reply_kwargs(a)),
        done=gettext_lazy("已答复并办结，答复书已签发；申请人可在查询页面查看答复书并下载所提供的信息。")),
)
ACTIONS: dict[str, DeskAction] = {a.name: a for a in TABLE}
NAMES: dict[str, DeskAction] = {**ACTIONS, **{alias: a for a in TABLE for alias in a.aliases}}


def lookup(name: str) -> DeskAction | None:
    """The action of ``name`` (or one of its older API names), None for an unknown one."""
    return NAMES.get(name)


def _value(f: Field, raw):
    if isinstance(raw, str):
        raw = raw.strip() if f.kind != TEXT else raw
    if raw is None or raw == "":
        if f.missing is not None:
            raise InvalidInput(str(f.missing))
        return timezone.localdate() if f.default is TODAY else f.default
    if f.kind == DATE:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise InvalidInput(_("%(label)s格式不正确。") % {"label": f.label}) from None
    if f.kind == INT:
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise InvalidInput(_("输入的数字格式不正确。")) from None
    if f.kind == BOOL:
        return raw in (True, "1", "true", "on")
    if f.kind == ORG:
        from yangguang.orgs.models import Organization

        key = str(raw)
        org = Organization.objects.filter(pk=int(key)).first() if key.isdigit() else None
        org = org or Organization.objects.filter(slug=key).first()
        if org is None:
            raise InvalidInput(str(f.missing or _("找不到该机构。")))
        return org
    if f.kind == USER:
        from yangguang.orgs.models import User

        return User.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
    return str(raw)


def parse(action: DeskAction, raw: Mapping) -> dict:
    """The action's arguments from a form (strings) or an API payload (typed values)."""
    return {f.name: _value(f, raw.get(f.name)) for f in action.fields}


def application_of(result) -> Application:
    return result if isinstance(result, Application) else result.application


def check_allowed(action: DeskAction, user, app: Application) -> None:
    """The permission question, asked before the input is read: NotAllowed with its answer."""
    if not action.allowed(user, app):
        raise NotAllowed(str(action.refused))


def perform(action: DeskAction, app: Application, user, raw: Mapping) -> Application:
    """Ask the permission question, read the input, run the service; the application afterwards."""
    check_allowed(action, user, app)
    return application_of(action.run(app, user, parse(action, raw)))
