from datetime import date

import pytest
from helpers import new_org
from helpers_sv import local, publish_at

from yangguang.publishing.models import Document
from yangguang.supervision import quotas
from yangguang.supervision.months import Month
from yangguang.supervision.stats import BLANK_LOOKBACK, blank_run, month_stats

pytestmark = pytest.mark.django_db

OCT, NOV = Month(2025, 10), Month(2025, 11)
TODAY = date(2026, 1, 15)


def test_month_boundary_in_shanghai(city, staff_a):
    # 23:59 on 31 October in Shanghai is 15:59 UTC the same day; 00:00 on 1 November is 16:00 UTC on 31 October.
    publish_at(staff_a, local(2025, 10, 31, 23, 59), title="十月最后一分钟发布的通知")
    publish_at(staff_a, local(2025, 11, 1, 0, 0), title="十一月第一分钟发布的通知")
    oct_, nov = month_stats(city, OCT, TODAY).by_org(), month_stats(city, NOV, TODAY).by_org()
    assert oct_[staff_a.org.pk].total == 1 and nov[staff_a.org.pk].total == 1
    assert month_stats(city, Month(2025, 12), TODAY).by_org()[staff_a.org.pk].total == 0


def test_genres_key_areas_and_removed_items(city, staff_a):
    publish_at(staff_a, local(2025, 10, 3), genre="notice")
    publish_at(staff_a, local(2025, 10, 4), title="2025年部门预算公开", column="czyjs", genre="fiscal")
    removed = publish_at(staff_a, local(2025, 10, 5), title="错发的信息")
    Document.objects.filter(pk=removed.pk).update(removed_at=local(2025, 10, 6))
    row = month_stats(city, OCT, TODAY).by_org()[staff_a.org.pk]
    assert row.total == 2 and row.genres == {"notice": 1, "fiscal": 1}
    assert row.key_area == 1  # the 财政预决算 column (条例第20条第（七）项)


def test_late_items_on_the_official_calendar(city, staff_a):
    # 20 working days from 2025-09-26 is 2025-10-30 (National Day week not counted).
    publish_at(staff_a, local(2025, 10, 30), info_date=date(2025, 9, 26), title="按时发布的信息")
    publish_at(staff_a, local(2025, 10, 31), info_date=date(2025, 9, 26), title="超期一个工作日发布的信息")
    publish_at(staff_a, local(2025, 10, 20), title="没有信息形成日期的信息")
    assert month_stats(city, OCT, TODAY).by_org()[staff_a.org.pk].late == 1


def test_consecutive_blank_months(city, staff_a, staff_b):
    publish_at(staff_a, local(2025, 8, 10), title="八月的通知")
    publish_at(staff_b, local(2025, 8, 11), title="民政八月的通知")
    publish_at(staff_b, local(2025, 10, 11), title="民政十月的通知")
    rows = month_stats(city, NOV, TODAY).by_org()
    a, b = rows[staff_a.org.pk], rows[staff_b.org.pk]
    assert (a.blank, a.blank_run) == (True, 3)  # September, October, November
    assert (b.blank, b.blank_run) == (True, 1)
    # The city government itself never published: blank back to the region's first data month (August).
    assert rows[city.pk].blank_run == 4
    assert month_stats(city, OCT, TODAY).by_org()[staff_b.org.pk].blank_run == 0


def test_blank_run_helper_caps_and_stops_at_data_start():
    history = {Month(2024, 1): 3}
    assert blank_run(history, Month(2024, 4), Month(2020, 1)) == (3, False)
    assert blank_run({}, Month(2024, 4), Month(2024, 3)) == (2, False)
    assert blank_run({}, Month(2024, 4), None) == (1, False)
    assert blank_run({}, Month(2024, 4), Month(2000, 1)) == (BLANK_LOOKBACK, True)


def test_quota_default_override_and_inheritance(city, staff_a, staff_b, supervisor):
    sub = new_org("测试市教育局基教科", "jyj-jjk", parent=staff_a.org)
    for i in range(3):
        publish_at(staff_a, local(2025, 10, 10 + i), title=f"教育局十月第{i + 1}条")
    rows = month_stats(city, OCT, TODAY).by_org()
    assert rows[staff_a.org.pk].quota == 10 and rows[staff_a.org.pk].below_quota
    quotas.set_quota(staff_a.org, supervisor, 3)
    rows = month_stats(city, OCT, TODAY).by_org()
    assert rows[staff_a.org.pk].quota == 3 and not rows[staff_a.org.pk].below_quota
    assert rows[sub.pk].quota == 3  # inherited down the subtree
    assert rows[staff_b.org.pk].quota == 10
    quotas.set_quota(city, supervisor, 0)
    assert month_stats(city, OCT, TODAY).by_org()[staff_b.org.pk].quota == 0
    quotas.set_quota(staff_a.org, supervisor, None)
    assert month_stats(city, OCT, TODAY).by_org()[staff_a.org.pk].quota == 0


def test_quota_needs_supervisor_of_the_region(city, staff_a, org_b):
    from yangguang.core.errors import InvalidInput, NotAllowed
    from yangguang.core.models import AuditEvent

    with pytest.raises(NotAllowed):
        quotas.set_quota(org_b, staff_a.clerk, 5)
    from helpers import new_user

    county_sup = new_user("county_gkb", staff_a.org, "supervisor")
    with pytest.raises(NotAllowed):
        quotas.set_quota(org_b, county_sup, 5)  # outside its subtree
    with pytest.raises(InvalidInput):
        quotas.set_quota(staff_a.org, county_sup, -1)
    quotas.set_quota(staff_a.org, county_sup, 6)
    event = AuditEvent.objects.filter(action="quota.set").get()
    assert event.data == {"org": staff_a.org.pk, "from": None, "to": 6} and event.actor == county_sup


def test_overdue_applications_counted_per_receiving_org(city, org_a):
    from yangguang.disclosure.models import Application

    Application.objects.create(org=org_a, number="2025-001", applicant_type="natural", applicant_name="张三",
                               description="某信息", channel="online", received_date=date(2025, 9, 1))
    Application.objects.create(org=org_a, number="2025-002", applicant_type="natural", applicant_name="李四",
                               description="某信息", channel="online", received_date=date(2025, 10, 28))
    rows = month_stats(city, OCT, TODAY).by_org()
    # Received 1 September: due 20 working days later (early October) — overdue on 31 October.
    assert rows[org_a.pk].overdue_apps == 1
