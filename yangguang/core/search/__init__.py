"""Full-text search of the public catalog on Tantivy, fed text segmented by rjieba; the database
is the source of truth, the index is rebuilt from it. engine.py (search), changes.py (the index
outbox), tantivy_index.py (schema, queries, directory, readers, writer), reindex.py (rebuild,
health), indexer.py (a document's texts), query.py, segment.py, highlight.py."""

from .changes import apply, index_document, index_imported, unindex_document, unindex_ids
from .engine import FACETS, Hit, SearchResult, search
from .indexer import IndexItem, item_for
from .query import ParsedQuery, parse_query
from .reindex import health, rebuild

__all__ = [
    "FACETS", "Hit", "IndexItem", "ParsedQuery", "SearchResult", "apply", "health", "index_document",
    "index_imported", "item_for", "parse_query", "rebuild", "search", "unindex_document", "unindex_ids",
]
