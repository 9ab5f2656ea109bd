from datetime import date
from decimal import Decimal

import pytest
from helpers import new_user

from yangguang.core.errors import IllegalTransition, InvalidInput
from yangguang.disclosure import services
from yangguang.disclosure.services import issue_fee_notice, nth_in_month, record_payment

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def office(city):
    return new_user("fee_gkb", city, "supervisor")


FIRST = D(2025, 9, 1)


def apply(city, day=FIRST, name="李四"):
    return services.register(city, {
        "applicant_type": "natural", "applicant_name": name, "id_number": "110101199003071233",
        "contact_phone": "13812345678", "description": "某项信息", "channel": "online", "received_date": day,
    })


def assigned(city, office, **kw):
    app = services.accept(apply(city, **kw), office)
    return services.assign(app, office, city)


def test_per_page_fee_pauses_the_clock_until_paid(city, office):
    app = assigned(city, office)
    with pytest.raises(InvalidInput, match="0元"):
        issue_fee_notice(app, office, method="per_page", pages=30, on=D(2025, 9, 10), backdate_reason="补录")
    app = issue_fee_notice(app, office, method="per_page", pages=150, on=D(2025, 9, 10), backdate_reason="补录")
    assert app.fee_amount == Decimal("1700")  # 70 × 10 + 50 × 20 (国办函〔2020〕109号)
    with pytest.raises(IllegalTransition):
        services.reply(app, office, reply_type="disclose", outcome="1", on=D(2025, 9, 11), backdate_reason="补录")
    app = record_payment(app, office, on=D(2025, 9, 17), backdate_reason="补录")
    clock = services.clock_of(app, today=D(2025, 9, 17))
    assert clock.paused_days == 5  # 9-11, 12, 15, 16, 17
    # 20 working days from 09-01 end on Sunday 09-28 (a make-up working day); five more working
    # days: 09-29, 09-30, then after the National Day break 10-09, 10-10, 10-11 (make-up Saturday).
    assert clock.due == D(2025, 10, 11)


def test_unpaid_fee_closes_as_6_2(city, office):
    app = issue_fee_notice(assigned(city, office), office, method="per_page", pages=40, on=D(2025, 9, 10), backdate_reason="补录")
    app = services.close_by_process(app, office, outcome="6.2", on=D(2025, 10, 20), backdate_reason="补录")
    assert app.outcome == "6.2" and app.state == "closed"


def test_per_application_counts_per_applicant_per_month(city, office):
    apps = [apply(city, day=D(2025, 9, 1 + i % 28)) for i in range(11)]
    assert [nth_in_month(a) for a in apps][:3] == [1, 2, 3]
    eleventh = services.assign(services.accept(apps[-1], office), office, city)
    app = issue_fee_notice(eleventh, office, method="per_application", on=D(2025, 9, 20), backdate_reason="补录")
    assert app.fee_amount == Decimal("100")
    other_person = apply(city, day=D(2025, 9, 2), name="王五")
    other_person.id_number = "11010119900307123X"
    other_person.save()
    assert nth_in_month(other_person) == 1


def test_fee_pause_is_a_setting(city, office, settings):
    app = issue_fee_notice(assigned(city, office), office, method="per_page", pages=40, on=D(2025, 9, 10), backdate_reason="补录")
    app = record_payment(app, office, on=D(2025, 9, 17), backdate_reason="补录")
    paused = services.clock_of(app, today=D(2025, 9, 17))
    settings.DISCLOSURE_FEE_PAUSE = False
    counted = services.clock_of(app, today=D(2025, 9, 17))
    assert paused.paused_days == 5 and counted.paused_days == 0 and counted.due == D(2025, 9, 28)
