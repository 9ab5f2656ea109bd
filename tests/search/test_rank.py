"""The candidates' full score. On SQLite it is FTS5's BM25 computed in Python (rank.py): it must
give FTS5's own bm25() for every candidate."""

from datetime import date

import pytest
from django.db import connection

from yangguang.core.search.backends import WEIGHTS
from yangguang.core.search.query import fts5_match, parse_query
from yangguang.core.search.rank import _totals, scores

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's; PostgreSQL ranks with ts_rank in SQL")
def test_python_bm25_equals_fts5_bm25(publish):
    docs = [
        publish("mzj", "关于做好社会救助工作的通知", "社会救助资金按时发放。社会救助对象一万人。", published_date=date(2026, 3, 1)),
        publish("mzj", "社会工作年度总结", "社会组织登记和救助站管理。", published_date=date(2026, 2, 1)),
        publish("jyj", "教育资助政策解读", "家庭经济困难学生资助与社会救助衔接，" * 20, published_date=date(2026, 1, 5)),
    ]
    ids = [d.pk for d in docs]
    with connection.cursor() as cursor:
        assert _totals(cursor)[0] == 3
        for text in ("社会救助", "社会救助 通知", "资助 学生"):
            q = parse_query(text)
            cursor.execute("SELECT rowid, -bm25(core_search_fts, {}, {}, {}) FROM core_search_fts "
                           "WHERE core_search_fts MATCH %s".format(*WEIGHTS), [fts5_match(q)])
            expected = dict(cursor.fetchall())
            assert expected, text
            ours = scores(cursor, q, ids)
            assert set(expected) <= set(ours)
            for pk, value in expected.items():
                assert ours[pk] == pytest.approx(value, rel=1e-9), (text, pk)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's; PostgreSQL ranks with ts_rank in SQL")
def test_more_hits_than_rows_counted_does_not_fail(publish, monkeypatch):
    """A word's count (exact, or estimated from the 1-in-64 sample) above the row count from FTS5's
    averages record: the import benchmark hit this as a 500 on /search/ (math domain error)."""
    from yangguang.core.search import rank

    docs = [publish("mzj", f"社会救助通知{i}", "社会救助资金按时发放。", published_date=date(2026, 3, i + 1))
            for i in range(3)]
    real = rank._totals
    monkeypatch.setattr(rank, "_totals", lambda cursor: (2, real(cursor)[1]))
    with connection.cursor() as cursor:
        ours = scores(cursor, parse_query("社会救助"), [d.pk for d in docs])
    assert set(ours) == {d.pk for d in docs} and all(v > 0 for v in ours.values())
