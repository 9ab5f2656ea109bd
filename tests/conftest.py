import pytest
from helpers import Staff, new_org, new_user


@pytest.fixture(autouse=True)
def _official_calendar(request):
    """The calendar comes from a data migration; transactional tests flush it away, so put it
    back for any database test that finds it empty."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from yangguang.core.calendar_seed import seed_from_chinesecalendar
    from yangguang.core.models import CalendarYear

    if not CalendarYear.objects.exists():
        seed_from_chinesecalendar()
    yield


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test's database is rolled back, so ids and column listing versions repeat across
    tests; a page cached by an earlier test must not answer for a later one. (In production
    versions only grow.) The rate-limit cache is a database table and rolls back by itself."""
    from django.core.cache import caches

    caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def _search_index(tmp_path, settings):
    """Each test its own Tantivy index directory (the database is rolled back, so is the index);
    searches apply the pending index outbox first, as a single-process deployment would."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.SEARCH_INDEX_SYNC = True


@pytest.fixture
def city(db):
    return new_org("测试市", "city", "city")


@pytest.fixture
def org_a(city):
    return new_org("测试市教育局", "jyj", parent=city)


@pytest.fixture
def org_b(city):
    return new_org("测试市民政局", "mzj", parent=city)


@pytest.fixture
def staff_a(org_a):
    return Staff(org_a, "a")


@pytest.fixture
def staff_b(org_b):
    return Staff(org_b, "b")


@pytest.fixture
def supervisor(city):
    return new_user("gkb", city, "supervisor")
