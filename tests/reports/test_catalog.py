"""The annual report is one record (issue #14 part B, item 5): publishing a report generates its
document in the org's 公开年报 catalog column from the published version, a correction becomes that
document's next edition, and the demo no longer types a separate report into the column."""

from datetime import date

import pytest
from helpers import new_user
from known_data import app

from yangguang.core.models import AuditEvent
from yangguang.publishing import demo as publishing_demo
from yangguang.publishing.models import Document
from yangguang.reports import catalog, services

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def published(org_a):
    for received in (date(2025, 3, 3), date(2025, 5, 6)):
        app(org_a, "natural", received, date(2025, 3, 20), "1")
    app(org_a, "business", date(2025, 12, 1))  # carried over into 2026
    leader = new_user("jyj_zy", org_a, "principal")
    services.enter_figures(org_a, YEAR, leader, licensing=3, penalty=1, enforcement=0, fees=0)
    report = services.save_narrative(org_a, YEAR, leader, overview="2025年，本局认真贯彻条例。")
    services.finalize(report, leader)
    version = services.publish(report, leader)
    report.refresh_from_db()
    return report, version, leader


def _column_docs(org):
    return Document.objects.public().filter(org=org, column__slug=catalog.COLUMN_SLUG)


def _row(text: str, label: str) -> list[str]:
    line = next(x for x in text.splitlines() if x.startswith(label))
    return [c for c in line.split("\t")[1:] if c]


def test_publishing_generates_the_column_document_from_the_version(org_a, published):
    report, version, leader = published
    docs = list(_column_docs(org_a))
    assert len(docs) == 1 and report.document_id == docs[0].pk
    live = docs[0].live_edition
    assert live.title == f"{org_a.name}{YEAR}年政府信息公开工作年度报告"
    assert live.body == catalog.body_of(version)  # generated, not typed
    t3 = version.tables["table3"]
    assert _row(live.body_text, "一、本年新收政府信息公开申请数量") == [str(n) for n in t3["new"]]
    assert _row(live.body_text, "四、结转下年度继续办理") == [str(n) for n in t3["carried_out"]]
    assert t3["new"][6] == 3 and t3["carried_out"][6] == 1
    assert "2025年，本局认真贯彻条例。" in live.body_text
    assert f"/reports/{org_a.slug}/{YEAR}/?v=1" in live.body
    event = AuditEvent.objects.get(action="report.publish")
    assert event.data["document"] == docs[0].pk and event.data["index_number"] == docs[0].index_number
    assert AuditEvent.objects.filter(action="edition.publish", data__document=docs[0].pk).count() == 1


def test_a_correction_is_the_next_edition_of_the_same_document(org_a, published):
    report, version, leader = published
    app(org_a, "natural", date(2025, 6, 2), date(2025, 6, 20), "4.1")  # data changed after publication
    services.save_narrative(org_a, YEAR, leader, other="补充说明。")
    corrected = services.correct(report, leader, reason="补录一件申请。")
    docs = list(_column_docs(org_a))
    assert len(docs) == 1  # still one record
    live = docs[0].live_edition
    assert live.number == 2 and live.body == catalog.body_of(corrected) and "更正说明：补录一件申请。" in live.body_text
    assert _row(live.body_text, "一、本年新收政府信息公开申请数量")[-1] == str(corrected.tables["table3"]["new"][6]) == "4"
    assert docs[0].editions.get(number=1).state == "superseded"


def test_the_demo_types_no_report_into_the_column():
    plans = publishing_demo._plan_all(publishing_demo.Demo(progress=lambda msg: None))
    assert plans and not [p for p in plans if p.column == catalog.COLUMN_SLUG]


def test_editor_lists_column_documents_no_report_generated(org_a, published):
    """A report typed into the column by hand (as the demo did) is named on the report editor."""
    from django.test import Client
    from helpers import Staff

    staff = Staff(org_a, "x")
    typed = staff.publish(staff.draft(title="测试市教育局2025年政府信息公开工作年度报告（手工录入）", column="gknb",
                                      body="收到政府信息公开申请14件，均在法定期限内答复。"))
    report, version, leader = published
    assert list(catalog.foreign_documents(org_a)) == [typed.document]
    client = Client()
    client.force_login(leader)
    html = client.get(f"/workbench/reports/{org_a.pk}/{YEAR}/").content.decode()
    assert "不是由年度报告生成的文件" in html and "（手工录入）" in html
    assert typed.document.index_number in html
