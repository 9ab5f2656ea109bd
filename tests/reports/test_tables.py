"""Every cell of tables 二, 三 and 四 from known records, including 上年结转 and 结转下年度."""

from datetime import date
from decimal import Decimal

import pytest
from known_data import TYPES, load

from yangguang.disclosure.law import OUTCOMES
from yangguang.reports import checks, tables
from yangguang.reports.models import EnteredFigures

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(org_a, org_b, staff_a):
    apps = load(org_a, org_b)
    # one normative document through the real review workflow
    edition = staff_a.draft("关于规范校外培训收费的若干规定", genre="normative", written_date=date(2025, 9, 1))
    staff_a.publish(edition)
    EnteredFigures.objects.create(org=org_a, year=2025, licensing=12, penalty=3, enforcement=1,
                                  fees=Decimal("1.2345"), entered_by=staff_a.clerk, entered_at="2026-01-05T09:00Z")
    return apps


def test_table2_every_cell(known, org_a):
    t2 = tables.compute(org_a, 2025)["table2"]
    assert t2 == {
        "rule": {"made": 2, "abolished": 1, "valid": 3},
        "normative": {"made": 3, "abolished": 1, "valid": 2},
        "licensing": 12, "penalty": 3, "enforcement": 1, "fees": 1.2345,
    }


def _expected_table3():
    natural, business = TYPES.index("natural"), TYPES.index("business")
    exp = {}
    # each outcome row: one application per applicant type
    for code in OUTCOMES:
        exp[code] = [1, 1, 1, 1, 1, 1, 6]
    exp["1"] = [2, 1, 1, 1, 1, 1, 7]  # + the natural person's application closed on 1 January
    exp["2"] = [1, 1, 1, 1, 1, 1, 6]
    exp["3"] = [8, 8, 8, 8, 8, 8, 48]
    exp["4"] = [3, 3, 3, 3, 3, 3, 18]
    exp["5"] = [5, 5, 5, 5, 5, 5, 30]
    exp["6"] = [3, 3, 3, 3, 3, 3, 18]
    exp["total"] = [22, 21, 21, 21, 21, 21, 127]
    # 14 of 21 closed ones new + (t+1) open ones; + the business application of 31 December
    exp["new"] = [14 + t + 1 + (t == business) for t in range(6)]
    # 7 of 21 closed ones + the one open since 2024; + the natural person's one of 31 December 2024
    exp["carried_in"] = [8 + (t == natural) for t in range(6)]
    exp["carried_out"] = [t + 2 + (t == business) for t in range(6)]
    for key in ("new", "carried_in", "carried_out"):
        exp[key].append(sum(exp[key]))
    assert exp["new"] == [15, 17, 17, 18, 19, 20, 106]  # the literal values, as a person would check them
    assert exp["carried_in"] == [9, 8, 8, 8, 8, 8, 49]
    assert exp["carried_out"] == [2, 4, 4, 5, 6, 7, 28]
    return exp


def test_table3_every_cell(known, org_a):
    t3 = tables.compute(org_a, 2025)["table3"]
    expected = _expected_table3()
    assert set(t3) == set(expected)
    for key, row in expected.items():
        assert t3[key] == row, key


def test_table4_every_cell(known, org_a):
    assert tables.compute(org_a, 2025)["table4"] == [1, 1, 1, 3, 6, 2, 1, 1, 3, 7, 3, 1, 1, 3, 8]


def test_identities_hold_on_computed_tables(known, org_a, org_b):
    assert checks.problems(tables.compute(org_a, 2025)) == []
    assert checks.problems(tables.compute(org_b, 2025)) == []


def test_other_org_and_other_year(known, org_b):
    t = tables.compute(org_b, 2025)
    assert t["table2"]["rule"] == {"made": 1, "abolished": 0, "valid": 1}
    assert t["table3"]["1"] == [1, 0, 0, 0, 0, 0, 1]
    assert t["table3"]["new"][6] == 1 and t["table3"]["carried_out"][6] == 0
    assert t["table4"][:5] == [0, 0, 0, 1, 1]


def test_broken_tables_name_row_and_column(known, org_a):
    t = tables.compute(org_a, 2025)
    t["table3"]["carried_out"][2] += 1  # 科研机构
    t["table3"]["3.4"][6] += 1
    found = checks.problems(t)
    assert any("表三“科研机构”列" in p and "第一项加第二项之和" in p for p in found), found
    assert any("“4.保护第三方合法权益”行" in p and "总计" in p for p in found), found


def test_compute_all_matches_single(known, org_a, org_b, city):
    every = tables.compute_all(2025)
    assert every[org_a.id] == tables.compute(org_a, 2025)
    assert every[org_b.id] == tables.compute(org_b, 2025)
    # the city government's report adds up its departments
    assert every[city.id]["table3"]["total"][6] == 127 + 1
