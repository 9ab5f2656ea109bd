"""Fixtures of the monitoring tests: orgs with hand-made catalogs and documents published on
chosen days (rows written directly: the measurements read data, they do not care how it got there;
the rectification tests also publish through the real review chain)."""

from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from django.utils import timezone
from helpers import new_org

from yangguang.monitoring.indicators import SEED
from yangguang.monitoring.models import Indicator
from yangguang.orgs.codes import make_credit_code
from yangguang.orgs.services import create_organization
from yangguang.publishing.models import Column, Document, Edition
from yangguang.publishing.workflow import State

TODAY = date(2026, 6, 15)  # a Monday
_seq = count(1)


@pytest.fixture(autouse=True)
def _seeded_indicators(request):
    """The indicators come from a data migration; transactional tests flush them, so put them back."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    if not Indicator.objects.exists():
        for position, row in enumerate(SEED, start=1):
            Indicator.objects.create(**row, position=position * 10)
    yield


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def bare_org(name: str, slug: str, parent=None, kind: str = "department"):
    """An org without the template catalog: each test builds exactly the columns it needs."""
    code = make_credit_code(f"11530100MC{next(_seq):05d}AB")
    return create_organization(code=code, name=name, kind=kind, slug=slug, parent=parent, with_catalog=False)


def col(org, slug: str, update_class: str, parent=None, stale_after_days=None) -> Column:
    return Column.objects.create(org=org, slug=slug, name=slug, update_class=update_class, parent=parent,
                                 stale_after_days=stale_after_days)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def pub(column: Column, days_ago: int = 0, *, today: date = TODAY, title: str = "测试信息", body: str = "正文内容。",
        genre: str = "notice", info_date: date | None = None, interpretation_of: Document | None = None,
        validity: str = "valid") -> Document:
    """A public document first published `days_ago` days before `today`."""
    when = at(today - timedelta(days=days_ago))
    n = next(_seq)
    doc = Document.objects.create(org=column.org, column=column, index_number=f"T{n:08d}", index_year=when.year,
                                  index_serial=n, first_published_at=when, last_published_at=when,
                                  interpretation_of=interpretation_of)
    edition = Edition.objects.create(document=doc, number=1, state=State.PUBLISHED, title=title, body=body,
                                     body_text=body, genre=genre, validity=validity, info_date=info_date,
                                     published_at=when, content_hash=f"h{n}")
    doc.live_edition = edition
    doc.save(update_fields=["live_edition"])
    return doc


@pytest.fixture
def region(db):
    return new_org("测试县", "county", "county")
