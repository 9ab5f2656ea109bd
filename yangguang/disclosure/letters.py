"""The letters of 依申请公开 (spec/disclosure.md "Documents the system produces"): composed from
the application's data and issued once as .docx and .pdf; a correction is a new letter."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.core.exports.letters import LetterContent, to_docx, to_pdf

from . import fees, law
from .models import Application, ClockEvent, Letter
from .services.common import clock_of, require

ACT = "《中华人民共和国政府信息公开条例》"

# 条例第36条 (seven items) and 第37条: the decision paragraph of each reply type. ``{you}`` is 你 or
# 你单位 (``you()``); ``{provide}`` says what is provided (and that it is attached, when it is).
REPLY_TEXT = {
    "published": "经查，{you}申请的信息已经主动公开。根据{act}第三十六条第（一）项，现告知获取途径：{where}",
    "disclose": "经审查，{you}申请的信息属于公开范围。根据{act}第三十六条第（二）项，{provide}",
    "partial": "经审查，{you}申请的信息中含有不应当公开的内容，但能够作区分处理。根据{act}第三十七条，"
               "{provide}不予公开部分的理由：{reason}",
    "refuse": "经审查，{you}申请的信息{denial}。根据{act}第三十六条第（三）项，决定不予公开。",
    "not_exist": "经检索，本机关没有{you}申请的政府信息。根据{act}第三十六条第（四）项，特此告知。",
    "not_ours": "经审查，{you}申请的信息不属于本机关负责公开。根据{act}第三十六条第（五）项，特此告知：{reason}",
    "repeat": "{you}的申请属于重复申请。根据{act}第三十六条第（六）项，本机关不再重复处理。",
    "special_law": "{you}申请的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
                   "根据{act}第三十六条第（七）项，请依照有关法律、行政法规的规定办理。",
}
# Reply types whose paragraph already carries the handler's text; for the others it follows as 说明.
TEXT_IN_PARAGRAPH = ("partial", "not_ours")


def you(app: Application) -> str:
    """How a letter addresses the applicant: 你 (a natural person), 你单位 (an organisation)."""
    return "你" if app.applicant_type == law.ApplicantType.NATURAL else "你单位"


def _d(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _where_published(app: Application) -> str:
    from yangguang.publishing.urlsutil import public_url

    doc = app.published_document
    if doc is None or not doc.is_public:
        return ""
    return (f"该信息即《{doc.live_edition.title}》（索引号{doc.index_number}），"
            f"可在{settings.SITE_URL}{public_url(doc)}查阅。")


def _opening(app: Application) -> str:
    return f"{you(app)}于{_d(app.received_date)}提出的政府信息公开申请（申请编号{app.number}）收悉。"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；.!?;" else text + "。"


def _files(app: Application) -> list[str]:
    """The names of the information released with the reply (ReplyFile), in upload order."""
    if app.pk is None:
        return []
    return list(app.reply_files.order_by("id").values_list("original_name", flat=True))


def reply_paragraphs(app: Application, reason: str = "", where: str = "") -> list[str]:
    """The body of the 答复书 after the opening: the decision with the handler's text
    (app.reply_reason, or ``reason``), the attachments listed, and the remedies sentence."""
    if app.reply_type not in REPLY_TEXT:
        raise IllegalTransition(_("申请尚未以第三十六、三十七条的答复类型办结。"))
    from .reconsideration import remedy_sentence

    text = _sentence(reason or app.reply_reason)
    files = _files(app)
    if app.reply_type == law.ReplyType.PARTIAL:
        provide = "现提供可以公开的部分（见附件）。" if files else "现提供可以公开的部分。"
    else:
        provide = "现予以提供（见附件）。" if files else "现告知获取该信息的方式、途径和时间："
    if app.reply_type == law.ReplyType.DISCLOSE and not files:
        provide, text_used = provide + text, True
    else:
        text_used = app.reply_type in TEXT_IN_PARAGRAPH
    denial = ""
    if app.reply_type == law.ReplyType.REFUSE and law.is_valid_outcome(app.outcome):
        reason_row = law.DENIAL_REASONS.get(app.outcome)
        denial = law.outcome_label(app.outcome) + (f"（{reason_row.basis}）" if reason_row and reason_row.basis else "")
    paras = [REPLY_TEXT[app.reply_type].format(
        act=ACT, you=you(app), reason=text, denial=denial, provide=provide,
        where=where or _where_published(app) or "请登录本机关政府信息公开平台查阅。")]
    if text and not text_used:
        paras.append(("理由：" if app.reply_type == law.ReplyType.REFUSE else "说明：") + text)
    if files:
        paras.append("附件：" + "；".join(f"{i}. {name}" for i, name in enumerate(files, 1)))
    paras.append(remedy_sentence(app.org, you=you(app)))
    return paras


def compose(app: Application, kind: str, **ctx) -> LetterContent:
    """The text of a letter; `ctx` carries what only the handler knows (a reason, a link …)."""
    name = f"{app.applicant_name}："
    clock = clock_of(app)
    yo = you(app)
    if kind == Letter.Kind.RECEIPT:
        due = f"本机关将于{_d(clock.due)}前答复" if clock.due else "本机关将依法答复"
        paras = [
            f"{yo}通过{law.Channel(app.channel).label}提出的政府信息公开申请已收到，申请编号{app.number}，"
            f"查询码{app.tracking_code}（请妥善保存，凭查询码和联系方式查询办理进度）。",
            f"根据{ACT}第三十一条，收到申请之日为{_d(app.received_date)}；根据第三十三条，{due}"
            "（如需补正、征求第三方意见或延期，期限依法另行计算并告知）。",
        ]
    elif kind == Letter.Kind.CORRECTION:
        event = app.clock_events.filter(kind=ClockEvent.Kind.CORRECTION_REQUESTED).last()
        if event is None:
            raise IllegalTransition(_("该申请没有补正告知记录。"))
        paras = [_opening(app), f"经审查，申请内容不明确。根据{ACT}第三十条，请于{_d(event.end)}前补正以下内容：{event.reason}",
                 "答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"]
    elif kind == Letter.Kind.EXTENSION:
        event = ctx.get("event") or app.clock_events.filter(kind=ClockEvent.Kind.EXTENSION).last()
        if event is None:
            raise IllegalTransition(_("该申请没有经批准的延期。"))
        paras = [_opening(app), f"因{event.reason}，本机关不能在规定期限内答复。根据{ACT}第三十三条第二款，经本机关政府信息公开"
                 f"工作机构负责人同意，答复期限延长{event.days}个工作日，至{_d(clock.due)}。"]
    elif kind == Letter.Kind.CONSULTATION:
        event = app.clock_events.filter(kind=ClockEvent.Kind.CONSULTATION).last()
        if event is None:
            raise IllegalTransition(_("该申请没有征求第三方意见的记录。"))
        name = f"{event.party}："
        paras = [f"本机关收到一件政府信息公开申请（申请编号{app.number}），所申请公开的信息可能涉及你方合法权益。"
                 f"根据{ACT}第三十二条，现书面征求你方意见，请自收到本意见书之日起{law.THIRD_PARTY_DAYS}个工作日内提出意见。"
                 "逾期未提出意见的，由本机关依照条例规定决定是否公开。"]
    elif kind == Letter.Kind.FEE:
        if not app.fee_amount:
            raise IllegalTransition(_("该申请没有收费通知。"))
        lines = fees.breakdown(app.fee_method, pages=app.fee_pages) if app.fee_method == fees.FeeMethod.PER_PAGE \
            else [f"按件计收：{fees.yuan(app.fee_amount)}"]
        paras = [_opening(app), f"根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
                 f"{yo}应缴纳信息处理费{fees.yuan(app.fee_amount)}。计算方式：" + "；".join(lines) + "。",
                 f"请自收到本通知次日起{law.FEE_PAYMENT_DAYS}个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"]
    elif kind == Letter.Kind.REPLY:
        paras = [_opening(app), *reply_paragraphs(app, ctx.get("reason", ""), ctx.get("where", ""))]
    elif kind == Letter.Kind.REFUSE_TO_HANDLE:
        if not app.outcome.startswith("5."):
            raise IllegalTransition(_("只有不予处理的申请可以签发不予处理告知书。"))
        from .reconsideration import remedy_sentence

        text = _sentence(ctx.get("reason") or app.reply_reason)
        paras = [_opening(app), f"经审查，{yo}的申请属于“{law.outcome_label(app.outcome)}”情形，"
                 f"依照{ACT}的规定，本机关不予处理。", *([f"说明：{text}"] if text else []),
                 remedy_sentence(app.org, you=yo, act="告知")]
    else:
        raise InvalidInput(_("文书类型不正确。"))
    return LetterContent(title=str(Letter.Kind(kind).label), number="", addressee=name, paragraphs=tuple(paras),
                         sender=app.org.name, date_text=_d(timezone.localdate()))


def _store(data: bytes) -> tuple[str, str]:
    folder = settings.PRIVATE_STORAGE_DIR / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(20)
    (folder / name).write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def letter_path(name: str):
    return settings.PRIVATE_STORAGE_DIR / "letters" / name


def issue(app: Application, by, kind: str, **ctx) -> Letter:
    """Compose, number, render and store a letter; one audit event. Never edited afterwards."""
    if by is not None:
        require(by, app)
    written: list[str] = []
    try:
        with transaction.atomic():
            return produce(app, by, kind, written, **ctx)
    except Exception:
        discard(written)
        raise


def discard(written: list[str]) -> None:
    """Remove the files of a letter whose transaction failed: nothing half-written, no files
    without their row."""
    for name in written:
        letter_path(name).unlink(missing_ok=True)


def produce(app: Application, by, kind: str, written: list[str], *, record: bool = True, **ctx) -> Letter:
    """The letter inside the caller's transaction; the names of the files written are appended to
    ``written`` (the caller discards them if the transaction fails). ``record=False``: the calling
    service writes the one audit event of its action and names the letter in it (e.g. the
    延期告知书 of an approved extension)."""
    app = Application.objects.select_for_update().select_related("org").get(pk=app.pk)
    seq = app.letters.count() + 1
    content = compose(app, kind, **ctx)
    number = f"{app.org.short_name or app.org.name}依申请〔{app.received_date.year}〕{app.number}-{seq:02d}号"
    content = LetterContent(**{**content.__dict__, "number": number})
    docx_name, docx_sha = _store(to_docx(content))
    written.append(docx_name)
    pdf_name, pdf_sha = _store(to_pdf(content))
    written.append(pdf_name)
    text = "\n".join((content.title, number, content.addressee, *content.paragraphs, content.sender, content.date_text))
    letter = Letter.objects.create(application=app, kind=kind, number=number, title=content.title, text=text,
                                   docx_name=docx_name, pdf_name=pdf_name, docx_sha256=docx_sha,
                                   pdf_sha256=pdf_sha, issued_by=by)
    if record:
        audit.record("letter.issue", letter, actor=by, org_id=app.org_id, data=letter_facts(letter))
    return letter


def letter_facts(letter: Letter) -> dict:
    """What an audit event says about an issued letter."""
    return {"application": letter.application_id, "letter": letter.pk, "kind": letter.kind, "number": letter.number,
            "docx_sha256": letter.docx_sha256, "pdf_sha256": letter.pdf_sha256}
