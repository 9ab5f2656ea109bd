"""<mark> the query words in a title or a body excerpt; everything else HTML-escaped.

Matching is done on the NFKC/lower-cased text (as indexed), and mapped back to the
original characters, so a full-width ＡＢＣ in a title is marked for a query "abc".
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120


def _normalized(text: str) -> tuple[str, list[int] | None]:
    """The normalized text and, for each of its characters, the index of the original one."""
    norm = unicodedata.normalize("NFKC", text).lower()
    if len(norm) == len(text):  # the usual case: character for character
        return norm, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch).lower()
        out.append(n)
        origin.extend([i] * len(n))
    return "".join(out), origin


def _pattern(words: list[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)  # longest first
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the matches in the original text."""
    if pattern is None or not text:
        return []
    norm, origin = _normalized(text)
    if origin is None:
        return [m.span() for m in pattern.finditer(norm)]
    return [(origin[m.start()], origin[m.end() - 1] + 1) for m in pattern.finditer(norm)]


def _render(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    parts, pos = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        parts.append(escape(text[pos:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def highlight(text: str, words: list[str]) -> SafeString:
    return mark_safe(_render(text, _spans(text, _pattern(words))))  # noqa: S308 - escaped in _render


def snippet(text: str, words: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """The `length` characters of `text` holding the most different query words."""
    text = " ".join(text.split())
    spans = _spans(text, _pattern(words))
    if not spans:
        return mark_safe(escape(text[:length]) + ("…" if len(text) > length else ""))  # noqa: S308
    best, best_count = 0, -1
    for i, (a, _b) in enumerate(spans[:50]):
        start = max(0, a - length // 6)
        seen = set()
        for x, y in spans[i:]:
            if y > start + length:
                break  # spans are in order
            seen.add(text[x:y].lower())
        if len(seen) > best_count:
            best, best_count = start, len(seen)
    start = best
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    html = _render(text, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))  # noqa: S308
