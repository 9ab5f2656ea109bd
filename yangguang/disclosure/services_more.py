"""Less frequent actions: 第35条 dates, reconsideration/litigation records, fee totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.core.text import clean_text

from .models import Application, ClockEvent, Remedy
from .services import _check_date, _lock, _require, _text, check_within_due
from .workflow import OPEN_STATES


def set_article35_date(app: Application, by, *, on: date, new_due: date, reason: str) -> Application:
    """第35条: for applications clearly beyond a reasonable range but with good reason, the agency fixes
    a reasonable later date and tells the applicant; it replaces the statutory deadline."""
    _require(by, app)
    reason = _text(reason)
    if app.state not in OPEN_STATES:
        raise IllegalTransition("已办结的申请不能另行确定答复期限。")
    if not reason:
        raise InvalidInput("须写明另行确定答复期限的理由（条例第35条）。")
    if new_due <= on:
        raise InvalidInput("另行确定的答复期限须晚于告知之日。")
    with transaction.atomic():
        app = _lock(app)
        check_within_due(app, on, "另行确定答复期限")
        ClockEvent.objects.create(application=app, kind=ClockEvent.Kind.ART35_DATE, start=new_due, actor=by,
                                  basis="条例第35条", reason=reason)
        audit.record("application.article35_date", app, actor=by, org_id=app.org_id,
                     data={"on": on, "new_due": new_due, "reason": reason})
    return app


def record_remedy(app: Application, by, *, kind: str, filed_date: date, result: str = Remedy.Result.PENDING,
                  result_date: date | None = None, note: str = "") -> Remedy:
    _require(by, app)
    note = _text(note)
    errors: list[str] = []
    if len(note) > 300:
        errors.append("备注不能超过300个字。")
    if kind not in Remedy.Kind.values:
        errors.append("复议诉讼类型不正确。")
    if result not in Remedy.Result.values:
        errors.append("结果不正确。")
    _check_date(filed_date, "提起日期", errors, not_before=app.received_date)
    _check_date(result_date, "审结日期", errors, not_before=filed_date if isinstance(filed_date, date) else None)
    if (result == Remedy.Result.PENDING) != (result_date is None):
        errors.append("尚未审结的不填审结日期；已审结的须填审结日期。")
    if errors:
        raise InvalidInput("复议诉讼记录有误：", details=errors)
    with transaction.atomic():
        remedy = Remedy.objects.create(application=app, kind=kind, filed_date=filed_date, result=result,
                                       result_date=result_date, note=note)
        audit.record("application.remedy", app, actor=by, org_id=app.org_id, data={
            "remedy": remedy.pk, "kind": kind, "filed_date": filed_date, "result": result, "result_date": result_date,
        })
    return remedy


def fee_total(org, year: int) -> Decimal:
    """信息处理费 actually collected by `org` in `year` (annual report section 六): paid fees only."""
    total = Application.objects.filter(org=org, fee_paid_date__year=year).aggregate(s=Sum("fee_amount"))["s"]
    return total or Decimal("0")


PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def add_proof_file(app: Application, by, filename: str, data: bytes):
    """Store an ID proof privately (random name, outside any URL-mapped folder)."""
    import hashlib
    import secrets

    from django.conf import settings

    from yangguang.core import extract

    from .models import ProofFile

    if by is not None:
        _require(by, app)
    filename = clean_text(filename) or "file"
    try:
        kind = extract.sniff(data, filename, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except extract.RefusedFile as exc:
        raise InvalidInput(f"“{filename}”未能上传：{exc.message}") from exc
    if kind.content_type not in PROOF_TYPES:
        raise InvalidInput("身份证明材料只接受PDF、JPG或PNG文件。")
    folder = settings.PRIVATE_STORAGE_DIR / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    (folder / stored).write_bytes(data)
    try:
        with transaction.atomic():
            proof = ProofFile.objects.create(application=app, original_name=filename[:255], stored_name=stored,
                                             content_type=kind.content_type, size=len(data),
                                             sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by)
            audit.record("application.proof_add", app, actor=by, org_id=app.org_id,
                         data={"file": proof.pk, "name": proof.original_name, "sha256": proof.sha256})
    except Exception:
        (folder / stored).unlink(missing_ok=True)
        raise
    return proof
