"""信息处理费 (yangguang/disclosure/fees.py) against 国办函〔2020〕109号 as spec/disclosure.md states it.
Pure Python, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yangguang.disclosure import fees
from yangguang.disclosure.fees import FeeMethod

D = Decimal


# --- 按件计收 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, fee", [
    (1, 0), (10, 0),  # 1–10 free
    (11, 100), (30, 100),  # 11–30: 100元
    (31, 200), (40, 200),  # 31–40: 200元
    (41, 300), (50, 300),  # 41–50: 300元
    (51, 400), (60, 400), (61, 500), (100, 800), (101, 900),  # 91–100: 800元, 101–110: 900元
])
def test_per_application_fee_at_every_boundary(n, fee):
    assert fees.per_application_fee(n) == D(fee)
    assert isinstance(fees.per_application_fee(n), Decimal)


@pytest.mark.parametrize("count, total", [
    (0, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (41, 4300), (50, 7000), (51, 7400),
])
def test_per_application_total(count, total):
    assert fees.per_application_total(count) == D(total)


@given(st.integers(min_value=1, max_value=500))
def test_per_application_total_is_the_sum_of_each_fee(n):
    assert fees.per_application_total(n) - fees.per_application_total(n - 1) == fees.per_application_fee(n)
    assert fees.per_application_total(n) == sum((fees.per_application_fee(k) for k in range(1, n + 1)), D(0))


@given(st.integers(min_value=1, max_value=10_000))
def test_per_application_fee_non_decreasing_and_steps_by_100(n):
    a, b = fees.per_application_fee(n), fees.per_application_fee(n + 1)
    assert a <= b and b - a in (D(0), D(100))


# --- 按量计收 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("pages, fee", [
    (0, 0), (1, 0), (30, 0),
    (31, 10), (100, 700),
    (101, 720), (150, 1700), (200, 2700),
    (201, 2740), (250, 4700),
])
def test_per_page_fee_at_every_boundary(pages, fee):
    assert fees.per_page_fee(pages) == D(fee)


@pytest.mark.parametrize("page, price", [(1, 0), (30, 0), (31, 10), (100, 10), (101, 20), (200, 20),
                                         (201, 40), (10_000, 40)])
def test_page_price(page, price):
    assert fees.page_price(page) == D(price)


def test_per_page_is_progressive_not_flat():
    # 150 pages are not 150 × 20元 = 3000元: each page is priced by its own band
    assert fees.per_page_fee(150) == 70 * D(10) + 50 * D(20) == D(1700)


@given(st.integers(min_value=0, max_value=2_000))
def test_per_page_fee_is_sum_of_marginal_prices(pages):
    assert fees.per_page_fee(pages) == sum((fees.page_price(p) for p in range(1, pages + 1)), D(0))


@given(st.integers(min_value=0, max_value=100_000))
def test_per_page_fee_non_decreasing(pages):
    assert fees.per_page_fee(pages) <= fees.per_page_fee(pages + 1)


# --- one method, never both ----------------------------------------------------------------------


def test_compute_fee():
    assert fees.compute_fee(FeeMethod.PER_APPLICATION, nth_in_month=11) == D(100)
    assert fees.compute_fee("per_page", pages=150) == D(1700)


@pytest.mark.parametrize("method, kwargs", [
    ("per_application", {}),
    ("per_application", {"pages": 40}),
    ("per_application", {"nth_in_month": 12, "pages": 40}),
    ("per_page", {}),
    ("per_page", {"nth_in_month": 12}),
    ("per_page", {"nth_in_month": 12, "pages": 40}),
])
def test_compute_fee_refuses_wrong_arguments(method, kwargs):
    with pytest.raises(ValueError, match="择一"):
        fees.compute_fee(method, **kwargs)


@pytest.mark.parametrize("call", [
    lambda: fees.compute_fee("both", pages=3),
    lambda: fees.per_application_fee(0),
    lambda: fees.per_application_fee(True),
    lambda: fees.per_application_fee(1.5),
    lambda: fees.per_application_total(-1),
    lambda: fees.per_page_fee(-1),
    lambda: fees.page_price(0),
])
def test_bad_values_are_refused(call):
    with pytest.raises(ValueError):
        call()


def test_fee_methods():
    assert FeeMethod.choices == [("per_application", "按件计收"), ("per_page", "按量计收")]


# --- the lines on the 收费通知书 ---------------------------------------------------------------------


def test_breakdown_per_page():
    assert fees.breakdown("per_page", pages=150) == [
        "第1–30页：30页，免费",
        "第31–100页：70页 × 10元 = 700元",
        "第101–150页：50页 × 20元 = 1000元",
        "合计：1700元（国办函〔2020〕109号，按量计收）",
    ]
    assert fees.breakdown("per_page", pages=201)[-2:] == [
        "第201页：1页 × 40元 = 40元", "合计：2740元（国办函〔2020〕109号，按量计收）"]
    assert fees.breakdown("per_page", pages=0) == ["合计：0元（国办函〔2020〕109号，按量计收）"]


def test_breakdown_per_application():
    assert fees.breakdown("per_application", nth_in_month=3) == [
        "本自然月第3件申请，属第1–10件档：免费", "合计：0元（国办函〔2020〕109号，按件计收）"]
    assert fees.breakdown("per_application", nth_in_month=42) == [
        "本自然月第42件申请，属第41–50件档：300元/件", "合计：300元（国办函〔2020〕109号，按件计收）"]
    with pytest.raises(ValueError, match="择一"):
        fees.breakdown("per_application", nth_in_month=42, pages=10)


@given(st.integers(min_value=0, max_value=1_000))
def test_breakdown_total_matches_fee(pages):
    assert fees.breakdown("per_page", pages=pages)[-1].startswith(f"合计：{fees.yuan(fees.per_page_fee(pages))}")


def test_yuan():
    assert fees.yuan(D(1700)) == "1700元" and fees.yuan(D("12.50")) == "12.50元"
