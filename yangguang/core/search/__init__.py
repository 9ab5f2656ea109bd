"""Full-text search of the public catalog, on Tantivy, fed text segmented by rjieba; the
database is the source of truth and the index is rebuilt from it.

    from yangguang.core.search import search, index_document, unindex_document

engine.py (search: hits, exact facet counts, total), changes.py (the index outbox: written with
each publication change, applied by the task worker), tantivy_index.py (schema, analyzer, query
building, directory, readers and writer; the OpenSearch mapping an external backend would use),
reindex.py (rebuild, health), indexer.py (what a document contributes), query.py (parsing),
segment.py (segmenter), highlight.py (<mark> snippets).
"""

from .changes import apply, index_document, index_imported, unindex_document, unindex_ids
from .engine import FACETS, Hit, SearchResult, search
from .indexer import IndexItem, item_for
from .query import ParsedQuery, parse_query
from .reindex import health, rebuild

__all__ = [
    "FACETS", "Hit", "IndexItem", "ParsedQuery", "SearchResult", "apply", "health", "index_document",
    "index_imported", "item_for", "parse_query", "rebuild", "search", "unindex_document", "unindex_ids",
]
