"""答复时效 in the annual report: counted by disclosure.timeliness (a late extension does not make a
reply timely), frozen with the version, proposed for 一、总体情况, and checked against table 三."""

from datetime import date
from decimal import Decimal

import pytest
from helpers import new_user
from known_data import app

from yangguang.disclosure.models import ClockEvent
from yangguang.reports import checks, replies, services, tables

pytestmark = pytest.mark.django_db
YEAR = 2025
RECEIVED = date(2025, 9, 26)  # due 2025-10-30 (spec/disclosure.md example)


@pytest.fixture
def apps(org_a):
    on_time = app(org_a, "natural", RECEIVED, date(2025, 10, 30), "1")
    late = app(org_a, "business", RECEIVED, date(2025, 11, 10), "1")
    # stored as the old services accepted it: an extension approved after the due date
    ClockEvent.objects.create(application=late, kind="extension", start=date(2025, 11, 4), days=20, basis="条例第33条")
    overdue = app(org_a, "natural", date(2025, 11, 3))
    fresh = app(org_a, "natural", date(2025, 12, 22))
    return on_time, late, overdue, fresh


def test_figures(org_a, apps):
    assert replies.figures([org_a.pk], YEAR) == {"as_of": "2025-12-31", "closed": 2, "on_time": 1, "late": 1,
                                                "carried_out": 2, "overdue": 1}


def test_frozen_with_the_version_and_proposed(org_a, apps):
    leader = new_user("jyj_zy", org_a, "principal")
    services.enter_figures(org_a, YEAR, leader, licensing=0, penalty=0, enforcement=0, fees=0)
    version = services.finalize(services.save_narrative(org_a, YEAR, leader, overview="总体情况。"), leader)
    timely = version.tables["timeliness"]
    assert (timely["closed"], timely["late"]) == (version.tables["table3"]["total"][6], 1)
    assert timely["carried_out"] == version.tables["table3"]["carried_out"][6] == 2
    text = dict(checks.proposals(version.tables, Decimal("0")))["答复时效"]
    assert text == "本年办结的2件申请中，按期答复1件、逾期答复1件；结转下年度的2件中，截至2025-12-31已超过答复期限1件。"
    assert tables.ordered(version.tables)["timeliness"] == timely


def test_checked_against_table_three(org_a, apps):
    computed = replies.with_figures(tables.compute(org_a, YEAR), [org_a.pk], YEAR)
    assert checks.problems(computed) == []
    computed["timeliness"] = computed["timeliness"] | {"closed": 3}
    assert any("答复时效" in p for p in checks.problems(computed))
