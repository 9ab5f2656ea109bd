"""Full-text search of the public catalog: one interface, two backends chosen by the database
in use (SQLite FTS5, PostgreSQL tsvector + GIN), both fed text segmented by rjieba.

    from yangguang.core.search import search, index_document, unindex_document

See engine.py (querying), indexer.py (writing), query.py (parsing), segment.py (segmenter and
its measurement), backends.py (the SQL that differs), highlight.py (<mark> snippets).
"""

from .engine import FACETS, Hit, SearchResult, search
from .indexer import (
    IndexItem,
    index_document,
    index_imported,
    index_items,
    item_for,
    unindex_document,
    unindex_ids,
)
from .query import ParsedQuery, parse_query

__all__ = [
    "FACETS", "Hit", "IndexItem", "ParsedQuery", "SearchResult", "index_document", "index_imported", "index_items",
    "item_for", "parse_query", "search", "unindex_document", "unindex_ids",
]
