"""Chinese word segmentation for the search index and for queries.

Segmenter: **rjieba** (Rust jieba-rs, the same dictionary and algorithm as jieba), chosen over
jieba after measuring both on the same text, the five seed reports in shared/seeds/ (798
paragraphs, 86,426 characters), best of 3 runs, on this project's 2-core machine:

    jieba 0.42.1  cut_for_search   164 k chars/s      cut   214 k chars/s
    rjieba 0.2.2  cut_for_search 5,357 k chars/s      cut 6,632 k chars/s   (≈ 30× faster)

The output is the same word list for 782 of the 798 paragraphs; the 16 others differ only in
dates such as "2025-04-06", which rjieba keeps as one token and jieba splits at the hyphens:
both become the same terms here, since every token is split into runs of letters and digits.
At the reference scale (1,000,000 documents of ~1,650 characters) jieba alone would need about
2.8 hours of CPU to segment the archive; rjieba about 5 minutes. (Measured again under load from
other work, with HMM off: 1.9–2.3 M chars/s; the ratio stays.)

HMM (new-word discovery) is off for both indexing and queries: it guesses words from context,
so the same name could come out as one word in a document and as two in a query and then not
match. Without it, unknown words fall apart into single characters the same way everywhere.

Documents are indexed in search mode (`cut_for_search`: each word and the dictionary words
inside it, so 义务教育 is indexed as 义务, 教育, 义务教育); queries are cut in precise mode and
each query word of three or more characters also matches when all its inner words are present
(see `query.py`), since search mode does not emit every sub-word (中华人民共和国政府 → 中华, 华人,
人民, 共和, 国政, 政府, 共和国, but not 中华人民共和国).
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
    """Full-width to half-width and compatibility forms (NFKC), lower case.

    Exactly NFKC, computed faster: Chinese text is never NFKC already (its full-width
    punctuation ，：（） is a compatibility form), and a full normalization re-composes the whole
    text (~190 µs for 1,650 characters, 60 % of segmenting it). Here each distinct character that
    NFKC changes is replaced by its NFKC form (str.replace scans at C speed), which keeps the
    NFKC of the whole; only when the result is still not normalized (combining marks, rare
    characters outside the table) is the full normalization run on it."""
    if not unicodedata.is_normalized("NFKC", text):
        table = _unstable()
        for ch in set(table[0].findall(text)):
            text = text.replace(ch, table[1][ch])
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


@functools.cache
def _unstable() -> tuple[re.Pattern, dict[str, str]]:
    """The characters of the Basic Multilingual Plane that NFKC changes, as a character class
    and their NFKC forms (built once per process, ~10 ms)."""
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
    """Words reduced to TERMs: most are one already (isalnum is ~2x cheaper than the regex; a
    filter() over the words with length checks measured slower than this loop)."""
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
    """The 2- and 3-character dictionary words inside a word of 4 or more characters, when
    together they cover all of it; else []. A document indexes those inner words even where
    its own segmentation kept `word` inside a longer word."""
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
