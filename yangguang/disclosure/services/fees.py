"""信息处理费 (条例第42条; 国办函〔2020〕109号): fee notice and payment as clock events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput

from .. import fees
from ..models import Application, ClockEvent
from ..workflow import Action
from .clock_events import end_pause
from .common import check_clock_date, check_within_due, lock, move, require, text


def nth_in_month(app: Application) -> int:
    """按件计收 counts per applicant per natural month: this application's ordinal in its month."""
    same = Application.objects.filter(
        received_date__year=app.received_date.year, received_date__month=app.received_date.month,
    )
    same = same.filter(id_number=app.id_number) if app.id_number else same.filter(
        applicant_name=app.applicant_name, contact_phone=app.contact_phone)
    return same.filter(received_date__lte=app.received_date, id__lte=app.id).count()


def issue_fee_notice(app: Application, by, *, method: str, on: date, pages: int | None = None,
                     backdate_reason: str = "") -> Application:
    """收费通知 within the handling period, never after the deadline (条例第33条; 国办函〔2020〕109号)."""
    require(by, app)
    if method not in fees.FeeMethod.values:
        raise InvalidInput(_("请选择收费方式（按件计收或按量计收，二者只能选一）。"))
    backdate_reason = text(backdate_reason)
    errors: list[str] = []
    check_clock_date(app, on, _("收费通知日期"), errors, backdate_reason=backdate_reason)
    if errors:
        raise InvalidInput(_("收费通知有误："), details=errors)
    try:
        if method == fees.FeeMethod.PER_PAGE:
            amount = fees.compute_fee(method, pages=pages)
        else:
            amount = fees.compute_fee(method, nth_in_month=nth_in_month(app))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if amount == 0:
        raise InvalidInput(_("按该方式计算应收费用为0元，不应发出收费通知。"))
    with transaction.atomic():
        app = lock(app)
        check_within_due(app, on, _("发出收费通知"))
        old, new = move(app, Action.ISSUE_FEE_NOTICE)
        app.fee_method, app.fee_amount, app.fee_pages = method, amount, pages
        app.save(update_fields=["state", "fee_method", "fee_amount", "fee_pages"])
        ClockEvent.objects.create(application=app, kind=ClockEvent.Kind.FEE, start=on, actor=by,
                                  basis="条例第42条；国办函〔2020〕109号", backdate_reason=backdate_reason)
        audit.record("application.fee_notice", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "method": method, "amount": str(amount), "pages": pages, "on": on,
            "backdate_reason": backdate_reason,
        })
    return app


def record_payment(app: Application, by, *, on: date, backdate_reason: str = "") -> Application:
    """缴费 recorded: the fee pause ends and the clock runs again."""
    require(by, app)
    backdate_reason = text(backdate_reason)
    with transaction.atomic():
        app = lock(app)
        event = end_pause(app, ClockEvent.Kind.FEE, on, _("缴费日期"), backdate_reason)
        old, new = move(app, Action.RECORD_PAYMENT)
        app.fee_paid_date = on
        app.save(update_fields=["state", "fee_paid_date"])
        event.end, event.end_backdate_reason = on, backdate_reason
        event.save(update_fields=["end", "end_backdate_reason"])
        audit.record("application.fee_paid", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "amount": str(app.fee_amount), "on": on, "backdate_reason": backdate_reason})
    return app


def fee_total(org, year: int) -> Decimal:
    """信息处理费 actually collected by `org` in `year` (annual report section 六): paid fees only."""
    total = Application.objects.filter(org=org, fee_paid_date__year=year).aggregate(s=Sum("fee_amount"))["s"]
    return total or Decimal("0")
