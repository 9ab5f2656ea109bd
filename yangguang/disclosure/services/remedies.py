"""行政复议、行政诉讼 brought against a reply: recorded on the case for the annual report (section 五)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput

from ..models import Application, Remedy
from .common import check_date, require, text

MAX_NOTE = 300


def record_remedy(app: Application, by, *, kind: str, filed_date: date, result: str = Remedy.Result.PENDING,
                  result_date: date | None = None, note: str = "") -> Remedy:
    """A reconsideration or lawsuit, pending (no result date) or decided (with its result date)."""
    require(by, app)
    note = text(note)
    errors: list[str] = []
    if len(note) > MAX_NOTE:
        errors.append(_("备注不能超过%(n)d个字。") % {"n": MAX_NOTE})
    if kind not in Remedy.Kind.values:
        errors.append(_("复议诉讼类型不正确。"))
    if result not in Remedy.Result.values:
        errors.append(_("结果不正确。"))
    check_date(filed_date, _("提起日期"), errors, not_before=app.received_date)
    check_date(result_date, _("审结日期"), errors, not_before=filed_date if isinstance(filed_date, date) else None)
    if (result == Remedy.Result.PENDING) != (result_date is None):
        errors.append(_("尚未审结的不填审结日期；已审结的须填审结日期。"))
    if errors:
        raise InvalidInput(_("复议诉讼记录有误："), details=errors)
    with transaction.atomic():
        remedy = Remedy.objects.create(application=app, kind=kind, filed_date=filed_date, result=result,
                                       result_date=result_date, note=note)
        audit.record("application.remedy", app, actor=by, org_id=app.org_id, data={
            "remedy": remedy.pk, "kind": kind, "filed_date": filed_date, "result": result, "result_date": result_date,
        })
    return remedy
