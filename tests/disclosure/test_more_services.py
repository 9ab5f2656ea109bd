from datetime import date
from decimal import Decimal

import pytest
from helpers import new_user

from yangguang.core.errors import InvalidInput
from yangguang.disclosure import letters, services
from yangguang.disclosure.models import Letter, Remedy
from yangguang.disclosure.services import (
    fee_total,
    issue_fee_notice,
    record_payment,
    record_remedy,
    set_article35_date,
)
from yangguang.publishing.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(city):
    return new_user("m_gkb", city, "supervisor")


def new_app(city, office, day=date(2025, 9, 26)):
    a = services.register(city, {
        "applicant_type": "legal", "applicant_name": "某律师事务所", "contact_email": "law@example.com",
        "description": "某文件", "channel": "online", "received_date": day,
    })
    return services.assign(services.accept(a, office), office, city)


def test_published_reply_links_the_document(city, office, staff_a, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    doc = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="关于招生的通知")).document_id)
    app = new_app(city, office)
    with pytest.raises(InvalidInput, match="已经主动公开"):
        services.reply(app, office, reply_type="published", outcome="1", on=date(2025, 10, 9), backdate_reason="补录")
    app = services.reply(app, office, reply_type="published", outcome="1", on=date(2025, 10, 9),
                         published_document=doc, backdate_reason="补录")
    assert app.published_document_id == doc.pk
    letter = letters.issue(app, office, Letter.Kind.REPLY)
    assert doc.index_number in letter.text and "关于招生的通知" in letter.text


def test_article_35_date_replaces_deadline(city, office):
    app = new_app(city, office)
    with pytest.raises(InvalidInput):
        set_article35_date(app, office, on=date(2025, 10, 9), new_due=date(2025, 10, 1), reason="数量大")
    set_article35_date(app, office, on=date(2025, 10, 9), new_due=date(2025, 12, 31), reason="申请数量明显超过合理范围")
    assert services.clock_of(app).due == date(2025, 12, 31)


def test_remedies_and_fee_totals(city, office):
    app = new_app(city, office)
    with pytest.raises(InvalidInput):
        record_remedy(app, office, kind="reconsideration", filed_date=date(2025, 11, 1), result="upheld")
    record_remedy(app, office, kind="reconsideration", filed_date=date(2025, 11, 1), result="upheld",
                  result_date=date(2025, 12, 20))
    record_remedy(app, office, kind="litigation_direct", filed_date=date(2025, 11, 2))
    assert Remedy.objects.filter(application=app).count() == 2
    paid = issue_fee_notice(new_app(city, office), office, method="per_page", pages=40, on=date(2025, 10, 9), backdate_reason="补录")
    record_payment(paid, office, on=date(2025, 10, 13), backdate_reason="补录")
    issue_fee_notice(new_app(city, office), office, method="per_page", pages=50, on=date(2025, 10, 9), backdate_reason="补录")  # unpaid
    assert fee_total(city, 2025) == Decimal("100") and fee_total(city, 2024) == 0
