"""The full relevance score of a few candidate documents (engine.py ranks only RANK_CANDIDATES).

PostgreSQL: `ts_rank` on each candidate's vector, title ×10 / meta ×4 / body ×1 (weights A/B/D),
normalization 1 (divide by 1 + log length).

SQLite: FTS5's own BM25, computed here rather than by calling `bm25()`. FTS5 works out the
document frequency of every query phrase afresh for each cursor by reading the phrase's whole
doclist, and a correlated `bm25()` per candidate opens a cursor per candidate: for a word in most
of a million documents that is ~95 ms per candidate, 9.5 s per result page. The formula below is
FTS5's (sqlite.org/fts5.html §5.1.1, fts5_aux.c): k1 = 1.2, b = 0.75, a phrase's frequency in a
row is the sum of its column weights over its instances, the row length is its token count over
all columns, IDF = ln((N − n + 0.5) / (n + 0.5)) floored at 1e-6; N and the average length come
from FTS5's own totals record. A phrase's document count n is counted exactly when it is small
and estimated from the sample index (×64) when the sample says it is in many documents, like the
result counts (engine.ESTIMATE_ABOVE). Token counts are the space-separated terms of the stored
segmented text, which is exactly what FTS5's tokenizer splits (terms are letters and digits).
"""

from __future__ import annotations

import math

from django.db import connection

from .backends import SAMPLE_EVERY, TABLE, WEIGHTS
from .query import ParsedQuery, tsquery

K1, B = 1.2, 0.75


def scores(cursor, q: ParsedQuery, ids: list[int]) -> dict[int, float]:
    """{id: score}, higher is better, for documents that match `q`."""
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        return _ts_rank(cursor, q, ids)
    return _bm25(cursor, q, ids)


def _ts_rank(cursor, q: ParsedQuery, ids: list[int]) -> dict[int, float]:
    t, m, b = WEIGHTS
    weights = f"'{{{b / t}, 0, {m / t}, 1.0}}'"
    values = ", ".join(f"({int(pk)})" for pk in ids)
    cursor.execute(f"SELECT x.document_id, ts_rank({weights}, x.vector, to_tsquery('simple', %s), 1) "
                   f"FROM {TABLE} x WHERE x.document_id IN ({values})", [tsquery(q)])
    return {int(pk): float(s or 0.0) for pk, s in cursor.fetchall()}


def phrases(q: ParsedQuery) -> list[str]:
    """FTS5's phrases of the MATCH expression (query.fts5_match), in order."""
    return [w for t in q.terms for w in (t.word, *t.alternatives)]


def _bm25(cursor, q: ParsedQuery, ids: list[int]) -> dict[int, float]:
    from .engine import ESTIMATE_ABOVE

    words = phrases(q)
    n_rows, n_tokens = _totals(cursor)
    if n_rows <= 0:
        return {}
    avgdl = n_tokens / n_rows
    idf = []
    for word in words:
        cursor.execute("SELECT count(*) FROM core_search_sample_fts WHERE core_search_sample_fts MATCH %s",
                       [f'"{word}"'])
        hits = cursor.fetchone()[0] * SAMPLE_EVERY
        if hits < ESTIMATE_ABOVE:
            cursor.execute("SELECT count(*) FROM core_search_fts WHERE core_search_fts MATCH %s", [f'"{word}"'])
            hits = cursor.fetchone()[0]
        # The sample estimate (hits × SAMPLE_EVERY) can exceed the row count, e.g. when ids have gaps
        # or rows are being added (seen during a 30,000-row import: log of a negative, a 500).
        hits = min(hits, n_rows)
        value = math.log((n_rows - hits + 0.5) / (hits + 0.5))
        idf.append(value if value > 0 else 1e-6)
    cursor.execute(f"SELECT document_id, title_seg, meta_seg, body_seg FROM {TABLE} "
                   f"WHERE document_id IN ({', '.join(str(int(pk)) for pk in ids)})")
    out = {}
    for pk, *columns in cursor.fetchall():
        tokens = [(c or "").split() for c in columns]
        length = sum(len(t) for t in tokens)
        counts = [{} for _ in tokens]
        for i, col in enumerate(tokens):
            for token in col:
                counts[i][token] = counts[i].get(token, 0) + 1
        score = 0.0
        for word, weight in zip(words, idf, strict=True):
            freq = sum(w * c.get(word, 0) for w, c in zip(WEIGHTS, counts, strict=True))
            score += weight * (freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * length / avgdl))
        out[int(pk)] = score
    return out


def _totals(cursor) -> tuple[int, int]:
    """(rows, tokens in all columns) from FTS5's averages record (rowid 1 of the %_data table: a
    varint row count, then one varint token total per column)."""
    cursor.execute("SELECT block FROM core_search_fts_data WHERE id = 1")
    row = cursor.fetchone()
    if not row or not row[0]:
        return 0, 0
    values, blob, i = [], bytes(row[0]), 0
    while i < len(blob):
        value, i = _varint(blob, i)
        values.append(value)
    return values[0], sum(values[1:])


def _varint(blob: bytes, i: int) -> tuple[int, int]:
    """SQLite's varint: big-endian 7-bit groups, high bit = more; the 9th byte gives all 8 bits."""
    value = 0
    for n in range(9):
        byte = blob[i + n]
        if n == 8:
            return (value << 8) | byte, i + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, i + n + 1
    raise ValueError("bad varint")
