"""Which orgs a report aggregates, report status per org, and the late list at the deadlines."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from helpers import new_org, new_user
from known_data import app, doc

from yangguang.reports import services, tables
from yangguang.reports.scope import all_scopes, scope_ids
from yangguang.reports.status import late_reports, report_status

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def tree(city, org_a, org_b):
    """city ─ org_a (dept) ─ section (dept); org_b (dept); county ─ county_dept; county ─ town."""
    section = new_org("测试市教育局基础教育科", "jyj-jc", parent=org_a)
    county = new_org("测试县人民政府", "county", "county", parent=city)
    county_dept = new_org("测试县教育局", "county-jyj", parent=county)
    town = new_org("测试县城关镇人民政府", "town", "township", parent=county)
    return {"city": city, "a": org_a, "b": org_b, "section": section, "county": county,
            "county_dept": county_dept, "town": town}


def test_government_report_counts_itself_and_its_departments_only(tree):
    t = tree
    assert set(scope_ids(t["city"])) == {t["city"].id, t["a"].id, t["b"].id, t["section"].id}
    assert set(scope_ids(t["county"])) == {t["county"].id, t["county_dept"].id}
    assert scope_ids(t["town"]) == [t["town"].id]
    assert set(scope_ids(t["a"])) == {t["a"].id, t["section"].id}
    assert {k: set(v) for k, v in all_scopes().items()} == {
        o.id: set(scope_ids(o)) for o in t.values()}


def test_aggregated_tables_are_sums(tree):
    t = tree
    for org in (t["city"], t["a"], t["b"], t["section"], t["county"], t["county_dept"]):
        app(org, "natural", date(2025, 2, 1), date(2025, 2, 20), "1")
        doc(org, "normative", date(2025, 3, 1))
    city = tables.compute(t["city"], YEAR)
    assert city["table3"]["1"] == [4, 0, 0, 0, 0, 0, 4]  # city, a, b, section — not the county's
    assert city["table2"]["normative"]["made"] == 4
    assert tables.compute(t["county"], YEAR)["table3"]["new"][6] == 2
    every = tables.compute_all(YEAR)
    assert every[t["city"].id] == city and every[t["county"].id] == tables.compute(t["county"], YEAR)


def _publish(org, user, when: datetime, monkeypatch):
    services.enter_figures(org, YEAR, user, licensing=0, penalty=0, enforcement=0, fees=0)
    report = services.save_narrative(org, YEAR, user, overview="总体情况。")
    services.finalize(report, user)
    aware = timezone.make_aware(when)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: aware)
        services.publish(report, user)


def test_status_and_late_list_at_the_deadlines(tree, monkeypatch):
    t = tree
    # finalize and publish need a leader (主要领导/分管领导); a leader may also write
    _publish(t["a"], new_user("a_w", t["a"], "principal"), datetime(2026, 1, 30, 9), monkeypatch)
    _publish(t["b"], new_user("b_w", t["b"], "deputy"), datetime(2026, 2, 3, 9), monkeypatch)  # late
    county_writer = new_user("c_w", t["county"], "clerk")
    services.enter_figures(t["county"], YEAR, county_writer, licensing=0, penalty=0, enforcement=0, fees=0)
    services.finalize(services.save_narrative(t["county"], YEAR, county_writer, overview="x"),
                      new_user("c_zy", t["county"], "principal"))
    services.save_narrative(t["town"], YEAR, new_user("t_w", t["town"], "clerk"), overview="x")
    status = report_status([o.id for o in t.values()], YEAR)
    assert status == {t["city"].id: "none", t["a"].id: "published", t["b"].id: "published", t["section"].id: "none",
                      t["county"].id: "finalized", t["county_dept"].id: "none", t["town"].id: "draft"}
    assert report_status([t["a"].id], 2024) == {t["a"].id: "none"}

    assert late_reports(t["city"], YEAR, date(2026, 1, 31)) == []  # the deadline day is not late
    late = {r.org.slug: r for r in late_reports(t["city"], YEAR, date(2026, 2, 1))}
    # departments (and the township) are due 31 January; governments 31 March
    assert set(late) == {"mzj", "jyj-jc", "county-jyj", "town"}
    assert late["town"].status == "draft" and late["town"].deadline == date(2026, 1, 31)
    assert late["mzj"].status == "published" and late["mzj"].published_on == date(2026, 2, 3)
    assert late_reports(t["county"], YEAR, date(2026, 3, 31)) == late_reports(t["county"], YEAR, date(2026, 2, 1))
    april = {r.org.slug: r for r in late_reports(t["city"], YEAR, date(2026, 4, 1))}
    assert set(april) == {"mzj", "jyj-jc", "county-jyj", "town", "city", "county"}
    assert april["county"].status == "finalized" and april["county"].deadline == date(2026, 3, 31)
    # a region is its subtree only
    assert {r.org.slug for r in late_reports(t["county"], YEAR, date(2026, 4, 1))} == {"county", "county-jyj", "town"}
