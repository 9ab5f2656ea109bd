from datetime import date, datetime

import pytest
from django.utils import timezone

from yangguang.publishing.models import Edition
from yangguang.publishing.timeliness import timeliness

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, 10, 0))


def test_twenty_working_days_over_national_day():
    # spec/disclosure.md: 20 working days from 2025-09-26 is 2025-10-30.
    on_time = timeliness(Edition(info_date=date(2025, 9, 26), published_at=at(date(2025, 10, 30))))
    assert on_time.due == date(2025, 10, 30) and on_time.on_time and not on_time.provisional
    late = timeliness(Edition(info_date=date(2025, 9, 26), published_at=at(date(2025, 11, 3))))
    # 10-31 (Fri) and 11-03 (Mon) are the two working days past the due date.
    assert late.overdue_working_days == 2 and "超期" in late.label


def test_no_info_date_no_measure():
    assert timeliness(Edition(info_date=None)) is None
