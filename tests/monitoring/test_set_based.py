"""Measurements are set-based: the number of queries of a run does not grow with orgs, columns
or documents (a Python loop issuing per-column queries would)."""

import pytest
from conftest import TODAY, bare_org, col, ind, pub
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yangguang.monitoring import engine

pytestmark = pytest.mark.django_db


def _orgs(region, start, n):
    for i in range(start, start + n):
        org = bare_org(f"局{i}", f"ju{i}", parent=region)
        pub(col(org, "gzdt", "news"), i % 20)
        pub(col(org, "zcwj", "notice"), 200, genre="normative", body="机密★" if i % 3 == 0 else "正文")
        col(org, "kb", "static")


def _queries_of_steady_run(region) -> int:
    engine.run(trigger="command", scope_org=region, today=TODAY)  # opens / updates items, scans
    with CaptureQueriesContext(connection) as ctx:
        engine.run(trigger="command", scope_org=region, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_independent_of_scale(region):
    _orgs(region, 0, 3)
    small = _queries_of_steady_run(region)
    _orgs(region, 3, 12)
    # 12 more orgs (36 more columns): at most one more INSERT batch of results (SQLite caps the
    # parameters of one statement), never a query per org or per column.
    assert small <= _queries_of_steady_run(region) <= small + 1


def test_late_publication_is_judged_in_sql(region):
    """The due dates are joined into the query: documents with an info date in the judged range
    never come back for a second, per-document look (that fallback is for far older dates)."""
    from datetime import timedelta

    from yangguang.monitoring import measures
    from yangguang.orgs.models import Organization

    org = bare_org("局", "ju", parent=region)
    c = col(org, "tzgg", "notice")
    for days_ago in (1, 2, 30):
        pub(c, days_ago, info_date=TODAY - timedelta(days=90))  # late
    pub(c, 1, info_date=TODAY - timedelta(days=3))  # on time
    ctx = measures.Context(today=TODAY, orgs=Organization.objects.filter(pk=org.pk), org_ids=[org.id])
    with CaptureQueriesContext(connection) as q:
        found = measures.late_publication(ctx, ind("late_publication"))
    assert found[org.id].value == 3
    assert sum("publishing_edition" in x["sql"] for x in q.captured_queries) == 1
