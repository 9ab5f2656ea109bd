"""信息处理费 (条例第42条; 国办函〔2020〕109号): fee notice and payment as clock events."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from yangguang.core import audit
from yangguang.core.errors import InvalidInput

from . import fees
from .models import Application, ClockEvent
from .services import _check_date, _lock, _move, _require
from .workflow import Action


def nth_in_month(app: Application) -> int:
    """按件计收 counts per applicant per natural month: this application's ordinal in its month."""
    same = Application.objects.filter(
        received_date__year=app.received_date.year, received_date__month=app.received_date.month,
    )
    same = same.filter(id_number=app.id_number) if app.id_number else same.filter(
        applicant_name=app.applicant_name, contact_phone=app.contact_phone)
    return same.filter(received_date__lte=app.received_date, id__lte=app.id).count()


def issue_fee_notice(app: Application, by, *, method: str, on: date, pages: int | None = None) -> Application:
    _require(by, app)
    if method not in fees.FeeMethod.values:
        raise InvalidInput("请选择收费方式（按件计收或按量计收，二者只能选一）。")
    errors: list[str] = []
    _check_date(on, "收费通知日期", errors, not_before=app.received_date)
    if errors:
        raise InvalidInput("收费通知有误：", details=errors)
    try:
        if method == fees.FeeMethod.PER_PAGE:
            amount = fees.compute_fee(method, pages=pages)
        else:
            amount = fees.compute_fee(method, nth_in_month=nth_in_month(app))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if amount == 0:
        raise InvalidInput("按该方式计算应收费用为0元，不应发出收费通知。")
    with transaction.atomic():
        app = _lock(app)
        old, new = _move(app, Action.ISSUE_FEE_NOTICE)
        app.fee_method, app.fee_amount, app.fee_pages = method, amount, pages
        app.save(update_fields=["state", "fee_method", "fee_amount", "fee_pages"])
        ClockEvent.objects.create(application=app, kind=ClockEvent.Kind.FEE, start=on, actor=by,
                                  basis="条例第42条；国办函〔2020〕109号")
        audit.record("application.fee_notice", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "method": method, "amount": str(amount), "pages": pages, "on": on,
        })
    return app


def record_payment(app: Application, by, *, on: date) -> Application:
    _require(by, app)
    with transaction.atomic():
        app = _lock(app)
        event = app.clock_events.filter(kind=ClockEvent.Kind.FEE, end__isnull=True).first()
        if event is None or on < event.start:
            raise InvalidInput("缴费日期不能早于收费通知日期。")
        errors: list[str] = []
        _check_date(on, "缴费日期", errors)
        if errors:
            raise InvalidInput("缴费日期有误：", details=errors)
        old, new = _move(app, Action.RECORD_PAYMENT)
        app.fee_paid_date = on
        app.save(update_fields=["state", "fee_paid_date"])
        event.end = on
        event.save(update_fields=["end"])
        audit.record("application.fee_paid", app, actor=by, org_id=app.org_id,
                     data={"from": old, "to": new, "amount": str(app.fee_amount), "on": on})
    return app
