"""Turning what a visitor typed into search terms, without ever failing.

Whatever the input (quotes, punctuation, full-width characters, query syntax of any engine,
emoji, 10,000 characters of nonsense), the result is a list of plain letter/digit terms that
the engine receives as term queries (never parsed), so no input can be read as query syntax.

- NFKC + lower case; the input is cut at MAX_QUERY_CHARS and at MAX_TERMS terms.
- Words are ANDed; quotes only group (segmentation makes phrase positions unreliable).
- A bare year (2026 or 2026年, separated by spaces) boosts documents published that year to the
  top instead of being required; a query that is only a year searches for it as a term.
- A few function words (的, 和, 与 …) are dropped unless nothing else is left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .segment import inner_words, normalize, query_words

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
YEAR = re.compile(r"(19[5-9]\d|20\d\d)年?")
STOPWORDS = frozenset("的 了 和 与 及 或 等 之 在 是 对".split())


@dataclass(frozen=True)
class Term:
    """One required query word; `alternatives` are its inner words (all of them may stand in)."""

    word: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # normalized, as shown back in the search box
    terms: tuple[Term, ...] = field(default=())
    years: tuple[int, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def highlight_words(self) -> list[str]:
        words = [t.word for t in self.terms] + [a for t in self.terms for a in t.alternatives]
        return list(dict.fromkeys(words + [str(y) for y in self.years]))


def parse_query(raw: str | None) -> ParsedQuery:
    text = " ".join(unicodedata.normalize("NFKC", str(raw or "")[: MAX_QUERY_CHARS * 2]).split())
    text = text[:MAX_QUERY_CHARS]
    words: list[str] = []
    years: list[int] = []
    for piece in normalize(text).split():
        if m := YEAR.fullmatch(piece):
            years.append(int(m[1]))
        else:
            words.extend(query_words(piece))
    words = list(dict.fromkeys(words))
    kept = [w for w in words if w not in STOPWORDS] or words
    if not kept and years:
        kept = [str(y) for y in dict.fromkeys(years)]
    terms = tuple(Term(w, tuple(inner_words(w))) for w in kept[:MAX_TERMS])
    return ParsedQuery(text=text, terms=terms, years=tuple(dict.fromkeys(years)))

