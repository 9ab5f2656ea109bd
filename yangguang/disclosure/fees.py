"""信息处理费 as data: 国办函〔2020〕109号《政府信息公开信息处理费管理办法》 (spec/disclosure.md "Fees").

The default is no fee (条例第42条: 行政机关依申请提供政府信息，不收取费用); a fee may be charged only
where the quantity or frequency of applications clearly exceeds a reasonable range. One method per
application, never both (按件计收 or 按量计收). Both scales are progressive, read as marginal bands
("……的部分"), like income-tax brackets:

- 按件计收: counted per applicant per natural month; the n-th application of the month costs the
  price of the band n falls in: 1–10 free; 11–30 100元 each; from 31 on every further band of 10
  raises the price by 100元 (31–40 200元, 41–50 300元, …).
- 按量计收: within one application; page p costs the price of its band: 1–30 free; 31–100 10元;
  101–200 20元; 201 and above 40元. So 150 pages = 70 × 10 + 50 × 20 = 1700元 (not 150 × 20).

Money is Decimal, in whole yuan. Pure functions, no database.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)


class FeeMethod(TextChoices):
    PER_APPLICATION = "per_application", _("按件计收")
    PER_PAGE = "per_page", _("按量计收")


# 国办函〔2020〕109号 按件计收: (first, last, price per application); last None = open band.
FREE_APPLICATIONS = 10  # 一个自然月内累计申请10件以下（含10件）的，不收费
APPLICATION_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 10, ZERO),
    (11, 30, Decimal(100)),  # 11—30件（含30件）的部分：100元/件
)
APPLICATION_STEP = 10  # 31件以上的部分：以10件为一档，每增加10件，对每件的收费标准提高100元
APPLICATION_STEP_RAISE = Decimal(100)

# 国办函〔2020〕109号 按量计收: (first page, last page, price per page).
FREE_PAGES = 30  # 30页以下（含30页）的，不收费
PAGE_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, ZERO),
    (31, 100, Decimal(10)),  # 31—100页（含100页）的部分：10元/页
    (101, 200, Decimal(20)),  # 101—200页（含200页）的部分：20元/页
    (201, None, Decimal(40)),  # 201页以上的部分：40元/页
)


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("%(name)s必须是整数，收到：%(value)r") % {"name": name, "value": value})
    if value < minimum:
        raise ValueError(_("%(name)s不能小于%(min)s，收到：%(value)s") % {"name": name, "min": minimum, "value": value})
    return value


def _application_band(n: int) -> tuple[int, int, Decimal]:
    """The band (first, last, price) of the n-th application of a month."""
    for first, last, price in APPLICATION_BANDS:
        if last is not None and first <= n <= last:
            return first, last, price
    top_last = APPLICATION_BANDS[-1][1]
    top_price = APPLICATION_BANDS[-1][2]
    assert top_last is not None
    steps = (n - top_last - 1) // APPLICATION_STEP + 1  # 31–40 → 1, 41–50 → 2, …
    first = top_last + (steps - 1) * APPLICATION_STEP + 1
    return first, first + APPLICATION_STEP - 1, top_price + steps * APPLICATION_STEP_RAISE


def per_application_fee(nth_in_month: int) -> Decimal:
    """The fee of the applicant's n-th application in one natural month (按件计收, 1-based)."""
    n = _check_int(nth_in_month, "本月申请序号", 1)
    return _application_band(n)[2]


def per_application_total(count_in_month: int) -> Decimal:
    """The fees of applications 1..count of one applicant in one natural month, summed."""
    count = _check_int(count_in_month, "本月申请件数", 0)
    total, n = ZERO, 1
    while n <= count:
        first, last, price = _application_band(n)
        upto = min(last, count)
        total += price * (upto - n + 1)
        n = upto + 1
    return total


def _page_lines(pages: int) -> list[tuple[int, int, Decimal]]:
    """(first, last, price) of each band the pages reach, cut at `pages`."""
    out = []
    for first, last, price in PAGE_BANDS:
        if pages < first:
            break
        out.append((first, pages if last is None else min(last, pages), price))
    return out


def per_page_fee(pages: int) -> Decimal:
    """The fee of one application of `pages` pages (按量计收, progressive by band)."""
    p = _check_int(pages, "页数", 0)
    return sum((price * (last - first + 1) for first, last, price in _page_lines(p)), ZERO)


def page_price(page: int) -> Decimal:
    """The marginal price of the page-th page (1-based) of one application."""
    p = _check_int(page, "页码", 1)
    return next(price for first, last, price in PAGE_BANDS if first <= p and (last is None or p <= last))


def _check_method(method: str, nth_in_month: int | None, pages: int | None) -> None:
    if method == FeeMethod.PER_APPLICATION:
        if nth_in_month is None or pages is not None:
            raise ValueError(_("按件计收须提供本月申请序号，且不得同时提供页数（按件、按量只能择一）。"))
    elif method == FeeMethod.PER_PAGE:
        if pages is None or nth_in_month is not None:
            raise ValueError(_("按量计收须提供页数，且不得同时提供本月申请序号（按件、按量只能择一）。"))
    else:
        raise ValueError(_("未知的收费方式：%(method)s") % {"method": method})


def compute_fee(method: str, *, nth_in_month: int | None = None, pages: int | None = None) -> Decimal:
    """The fee of one application by one method; exactly the argument of that method is given."""
    _check_method(method, nth_in_month, pages)
    if method == FeeMethod.PER_APPLICATION:
        return per_application_fee(nth_in_month)  # type: ignore[arg-type]
    return per_page_fee(pages)  # type: ignore[arg-type]


def yuan(amount: Decimal) -> str:
    """"1700元"; two decimals only when there are fen."""
    text = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return f"{text}元"


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def breakdown(method: str, *, nth_in_month: int | None = None, pages: int | None = None) -> list[str]:
    """The lines printed on a 收费通知书: one per band reached, then the total, e.g. for 150 pages
    ["第1–30页：30页，免费", "第31–100页：70页 × 10元 = 700元", "第101–150页：50页 × 20元 = 1000元",
    "合计：1700元（国办函〔2020〕109号，按量计收）"]."""
    _check_method(method, nth_in_month, pages)
    lines: list[str] = []
    if method == FeeMethod.PER_APPLICATION:
        n = _check_int(nth_in_month, "本月申请序号", 1)
        first, last, price = _application_band(n)
        band = f"本自然月第{n}件申请，属第{_range(first, last)}件档"
        lines.append(f"{band}：免费" if price == ZERO else f"{band}：{yuan(price)}/件")
        total = price
    else:
        p = _check_int(pages, "页数", 0)
        for first, last, price in _page_lines(p):
            count = last - first + 1
            head = f"第{_range(first, last)}页：{count}页"
            lines.append(f"{head}，免费" if price == ZERO
                         else f"{head} × {yuan(price)} = {yuan(price * count)}")
        total = per_page_fee(p)
    lines.append(f"合计：{yuan(total)}（国办函〔2020〕109号，{FeeMethod(method).label}）")
    return lines
