"""Chinese word segmentation for the index and for queries: rjieba (jieba-rs, jieba's dictionary
and algorithm), ~30× faster than jieba on the seed reports (5.4 M vs 0.16 M chars/s, search
mode), the same words but for dates, which both turn into the same terms here.

HMM (new-word discovery) is off everywhere: it could cut a name as one word in a document and
as two in a query. Documents are cut in search mode (义务教育 → 义务, 教育, 义务教育); queries in
precise mode, a query word of 4+ characters also matching through its inner words (query.py),
since search mode does not emit every sub-word (中华人民共和国政府 → … 共和国, not 中华人民共和国).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import rjieba

# A term is a run of letters/digits (no underscore: a separator, as in most engines' tokenizers),
# at most 60 characters long: a longer run (a hash, base64) is not a word anyway.
TERM = re.compile(r"[^\W_]{1,60}")
MAX_INDEXED_CHARS = 60_000  # of one field: bounds segmentation time; a text's head carries its words


def normalize(text: str) -> str:
    """NFKC, lower case. Computed faster than unicodedata.normalize on Chinese text (never NFKC
    already: ，：（） are compatibility forms): each distinct character NFKC changes is replaced by
    its form; only a result still not normalized (combining marks) is normalized in full."""
    if not unicodedata.is_normalized("NFKC", text):
        table = _unstable()
        for ch in set(table[0].findall(text)):
            text = text.replace(ch, table[1][ch])
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


@functools.cache
def _unstable() -> tuple[re.Pattern, dict[str, str]]:
    """The BMP characters NFKC changes, as a character class, and their forms (~10 ms, once)."""
    forms = {}
    for code in range(0x10000):
        if 0x4E00 <= code <= 0x9FFF or 0xAC00 <= code <= 0xDFFF:  # CJK ideographs, Hangul: stable;
            continue  # surrogates: not characters
        ch = chr(code)
        nf = unicodedata.normalize("NFKC", ch)
        if nf != ch:
            forms[ch] = nf
    return re.compile("[" + "".join(re.escape(ch) for ch in forms) + "]"), forms


def index_text(text: str) -> str:
    """The space-separated search terms of `text`, in search mode, for the index."""
    if not text:
        return ""
    return " ".join(_terms(rjieba.cut_for_search(normalize(text[:MAX_INDEXED_CHARS]), False)))


def _terms(words: list[str]) -> list[str]:
    """Words reduced to TERMs: most are one already (isalnum is ~2x cheaper than the regex)."""
    out: list[str] = []
    for w in words:
        if w.isalnum() and len(w) <= 60:
            out.append(w)
        elif len(w) > 1 or w.isalnum():
            out.extend(TERM.findall(w))
    return out


def query_words(text: str) -> list[str]:
    """The terms of one query piece, in precise mode."""
    return _terms(rjieba.cut(normalize(text), False))


def inner_words(word: str) -> list[str]:
    """The dictionary words inside a word of 4+ characters, when together they cover it; else []."""
    if len(word) < 4:
        return []
    inner = [w for w in dict.fromkeys(rjieba.cut_for_search(word, False)) if w != word and TERM.fullmatch(w)]
    covered = set()
    for w in inner:
        start = word.find(w)
        while start >= 0:
            covered.update(range(start, start + len(w)))
            start = word.find(w, start + 1)
    return inner if len(covered) == len(word) else []
