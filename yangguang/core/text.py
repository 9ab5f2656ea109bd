"""Text hygiene at the service boundary: one function every service applies to user text.

Forms, the API and the importers all end in service functions; each service passes the
free text it stores through :func:`clean_text` (one line: titles, names, numbers) or
:func:`clean_multiline` (bodies, requests, reasons), so the three paths behave the same.

What is removed, and why:
- C0 controls except tab / line feed / carriage return, DEL and the C1 block (U+0080–U+009F):
  Word's Shift+Enter is U+000B and NUL comes from broken exports; neither is text, and XML
  1.0 (feeds, sitemap, .docx/.xlsx) cannot carry most of them at all (XML 1.0 §2.2 Char).
- Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069; Unicode TR #9 §2):
  they display a name reversed ("Trojan Source", CVE-2021-42574). Plain Chinese and
  Latin text never needs them; the implicit marks U+200E/U+200F stay.
- Noncharacters U+FFFE/U+FFFF and unpaired surrogates: not text, not valid XML.
Then NFC (Unicode TR #15): composed and decomposed forms of the same letter compare equal.

:func:`xml_safe` is the last-line guard for XML output (feeds, sitemap): stored rows that
predate the hygiene can never break a feed.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embedding/override (LRE RLE PDF LRO RLO) and isolate (LRI RLI FSI PDI) controls.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_NONCHAR = "\ufffe\uffff"
_SURROGATE = "\ud800-\udfff"
_MULTILINE_DROP = re.compile(f"[{_CONTROL}{BIDI_CONTROLS}{_NONCHAR}{_SURROGATE}]")
# In one-line fields a tab, CR or LF becomes a space (a title pasted from Word keeps its words apart).
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c]+")
# XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_INVALID = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_SURROGATE}{_NONCHAR}]")


def clean_multiline(value: str | None) -> str:
    """Text that may span lines: controls, bidi overrides and noncharacters removed, CRLF → LF, NFC."""
    if not value:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _MULTILINE_DROP.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def clean_text(value: str | None) -> str:
    """One-line text (titles, names, numbers): line breaks and tabs become one space, then as above."""
    if not value:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _MULTILINE_DROP.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def clean_fields(fields: dict, multiline: tuple[str, ...] = ()) -> dict:
    """A copy of ``fields`` with every string value cleaned (``multiline`` names keep their lines)."""
    out = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = clean_multiline(value) if name in multiline else clean_text(value)
        out[name] = value
    return out


def xml_safe(value: str | None) -> str:
    """``value`` with every character XML 1.0 cannot carry removed (for feeds, sitemap, XML exports)."""
    if not value:
        return ""
    return _XML_INVALID.sub("", str(value))
