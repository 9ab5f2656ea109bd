"""`yangguang check-applications` lists clock events out of order or after the deadline (issue #14,
item 1: "Write a data check … and fix the demo loader")."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from helpers import new_org, new_user

from yangguang.disclosure import services
from yangguang.disclosure.checks import clock_anomalies
from yangguang.disclosure.models import Application, ClockEvent

pytestmark = pytest.mark.django_db

D = date
REAL_LOCALDATE = timezone.localdate


def fix_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: day if value is None
                        else REAL_LOCALDATE(value, tz))


def run() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_applications", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def application(city, received: date) -> Application:
    office = new_user(f"c_gkb_{received:%m%d}", city, "supervisor")
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "钱八", "contact_phone": "13812345678",
        "description": "某项信息", "channel": "online", "received_date": received,
    })
    return services.assign(services.accept(app, office), office, city)


def test_lists_an_extension_approved_after_the_due_date(city, settings):
    late = application(city, D(2026, 10, 28))  # due 2026-11-25
    ClockEvent.objects.create(application=late, kind="extension", start=D(2026, 12, 2), days=15, basis="条例第33条第二款")
    fine = application(city, D(2026, 10, 29))
    ClockEvent.objects.create(application=fine, kind="extension", start=D(2026, 11, 20), days=15, basis="条例第33条第二款")
    code, out = run()
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(late.number)]
    assert len(lines) == 1 and "\t".join([late.number, city.name, "2026-11-25", "延期答复", "2026-12-02"]) in lines[0]
    assert fine.number not in out.replace(late.number, "")
    assert "涉及1件申请" in out


def test_lists_events_recorded_out_of_order_and_passes_clean_data(city):
    app = application(city, D(2025, 9, 26))
    ClockEvent.objects.create(application=app, kind="consultation", start=D(2025, 10, 20), end=D(2025, 10, 24),
                              basis="条例第32条")
    assert run()[0] == 0
    ClockEvent.objects.create(application=app, kind="fee", start=D(2025, 10, 10), basis="条例第42条")
    found = clock_anomalies()
    assert [(a.number, a.kind, a.event_date) for a in found] == [(app.number, "fee", D(2025, 10, 10))]
    assert "未按发生先后登记" in found[0].problem
    assert run()[0] == 1


@pytest.mark.parametrize("today", [D(2026, 12, 2), D(2026, 10, 12), D(2026, 2, 27)])
def test_the_demo_applications_pass_the_check(monkeypatch, settings, tmp_path, today):
    """The demo loader (disclosure/demo.py) on several days, around holidays too."""
    from yangguang.disclosure.demo import load_applications

    settings.PRIVATE_STORAGE_DIR = tmp_path
    fix_today(monkeypatch, today)
    city = new_org("明溪市人民政府", "mingxi", "city")
    edu = new_org("明溪市教育局", "jyj", parent=city)
    new_user("gkb", city, "supervisor")
    new_user("jyj_cb", edu, "handler")
    assert load_applications() == 9
    assert ClockEvent.objects.filter(kind="extension").exists()
    assert clock_anomalies() == []
    assert run()[0] == 0
