"""The judged relevance set (judged.py), run on whichever database the suite uses (the
suite runs on SQLite and on PostgreSQL)."""

import pytest
from judged import DOCS, QUERIES

from yangguang.core.search import search

pytestmark = pytest.mark.django_db


def test_judged_relevance(publish):
    by_pk = {}
    for key, (org, title, body, topic, genre, published, validity) in DOCS.items():
        doc = publish(org, title, body, topic=topic, genre=genre, published_date=published, validity=validity)
        by_pk[doc.pk] = key
    assert len(by_pk) == len(DOCS) >= 30
    failures = []
    for query, want in QUERIES:
        got = [by_pk[h.document.pk] for h in search(query, per_page=50).hits]
        top = want.get("top", [])
        window = got[: len(top) + want.get("slack", 0)]
        problems = []
        if missing := [k for k in top if k not in window]:
            problems.append(f"not in the first {len(window)}: {missing}")
        if want.get("first") and (not got or got[0] != want["first"]):
            problems.append(f"first should be {want['first']}")
        if present := [k for k in want.get("absent", []) if k in got]:
            problems.append(f"should not be found: {present}")
        if problems:
            failures.append(f"{query!r}: {'; '.join(problems)} (got {got})")
    assert not failures, "\n".join(failures)
