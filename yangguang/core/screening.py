"""Screening of text before publication (保密审查 / 个人隐私排查).

Pure Python: finds secret markings and personal data in a document body or an
attachment's extracted text, and masks personal data for public display.
Offsets are Python ``str`` indices (characters, not bytes) into the text given.

Kinds reported (fixed by the publishing spec and the JSON consumers):
``id_card``, ``bank_card``, ``mobile``, ``email``, ``address``, ``secret_mark``,
``sensitive_word``.
"""

from __future__ import annotations

import bisect
import datetime
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

BLOCKING = "blocking"
WARNING = "warning"
_SEVERITY_RANK = {BLOCKING: 0, WARNING: 1}
_JSON_FIELDS = ("kind", "severity", "start", "end", "text")

LABEL_ID_CARD = "居民身份证号"
LABEL_BANK_CARD = "银行卡号"
LABEL_MOBILE = "手机号码"
LABEL_EMAIL = "电子邮箱"
LABEL_ADDRESS = "详细住址"
LABEL_SECRET_MARK = "密级标志"
LABEL_SECRET_PHRASE = "涉密字样"
LABEL_SENSITIVE_WORD = "敏感词"
LABEL_NAME = "姓名（紧邻身份证/电话标签）"

# GB 11643-1999 公民身份号码: weights of positions 1–17, and the check character
# indexed by (weighted sum mod 11).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_MIN_BIRTH_YEAR = 1900

# ISO/IEC 7812-1 major industry identifier (first digit) of payment cards: 3 travel
# (Amex, JCB), 4–5 banking (Visa, Mastercard), 6 banking (UnionPay 62), 9 national
# (old domestic 95xxx cards); Mastercard's 2-series is 2221–2720. Other leading digits
# are serial numbers, which pass Luhn one time in ten and must not block a document.
CARD_FIRST_DIGITS = frozenset("34569")
CARD_MASTERCARD_2_SERIES = range(2221, 2721)


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    start: int
    end: int
    text: str
    label: str

    def as_dict(self) -> dict:
        """The JSON shape shared with the API and `yangguang screen --json` (no label)."""
        return {field: getattr(self, field) for field in _JSON_FIELDS}


# --- check digits ---------------------------------------------------------------------


def is_valid_id_card(s: str) -> bool:
    """GB 11643-1999 check digit plus a real, not-future birth date (positions 7–14)."""
    s = s.strip()
    if len(s) != 18 or not s[:17].isdecimal() or not (s[17].isdecimal() or s[17] in "Xx"):
        return False
    total = sum(int(c) * w for c, w in zip(s[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK_CHARS[total % 11] != s[17].upper():
        return False
    try:
        birth = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return birth.year >= ID_MIN_BIRTH_YEAR and birth <= datetime.date.today()


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812-1 Annex B (Luhn) check; single spaces or hyphens between groups are ignored."""
    digits = digits.replace(" ", "").replace("-", "")
    if len(digits) < 2 or not digits.isdecimal():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _plausible_card_prefix(digits: str) -> bool:
    return digits[0] in CARD_FIRST_DIGITS or int(digits[:4]) in CARD_MASTERCARD_2_SERIES


# --- patterns -----------------------------------------------------------------------
# Numbers must not be cut out of a longer run of digits/letters (索引号, serial numbers)
# nor out of a decimal.
_NUM_BEFORE = r"(?<![\dA-Za-z])(?<!\d\.)"
_NUM_AFTER = r"(?![\dA-Za-z])(?!\.\d)"
_HS = r"[ \t\u3000]"  # horizontal space only: marking lines must not run across lines

ID_RE = re.compile(rf"{_NUM_BEFORE}\d{{17}}[\dXx]{_NUM_AFTER}")
BANK_RE = re.compile(
    rf"{_NUM_BEFORE}(?:\d{{16,19}}"
    # Grouped by fours, e.g. "6222 0212 3456 7890 123"; the group run must not continue.
    rf"|(?<!\d[ -])\d{{4}}(?P<sep>[ -])\d{{4}}(?P=sep)\d{{4}}(?P=sep)\d{{4}}(?:(?P=sep)\d{{1,3}})?(?![ -]\d))"
    rf"{_NUM_AFTER}"
)
MOBILE_RE = re.compile(
    # Not after a letter/digit/"."/"-" (serials, 索引号, "No."), nor 第/〔 (document numbers).
    # "/" is allowed: "138…/139…" lists two phones, and a 索引号's "/2026-00012" never fits.
    r"(?<![\dA-Za-z.\-_])(?<![第〔\[])"
    r"(?:(?:\+|00)?86[ -]?)?"
    r"1[3-9]\d(?P<msep>[ -]?)\d{4}(?P=msep)\d{4}"
    # Not before a digit/letter, a decimal part, a thousands group, or an amount/number unit.
    r"(?![\dA-Za-z])(?!\.\d)(?!,\d{3}(?!\d))(?![元万亿号])"
)
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

_ADDR_SP = r"[ \u3000]?"
_BUILDING = rf"(?:[\dA-Za-z]{{1,4}}{_ADDR_SP}(?:号楼|栋|幢|座))"
_UNIT = rf"(?:\d{{1,3}}{_ADDR_SP}单元)"
_FLOOR = rf"(?:\d{{1,3}}{_ADDR_SP}(?:楼|层))"
_ROOM = rf"(?:\d{{1,5}}{_ADDR_SP}(?:室|户|号房))"
_ADDR_PART = rf"(?:{_BUILDING}|{_UNIT}|{_FLOOR}|{_ROOM})"
# …路12号3栋2单元501室: a road, a house number, then at least one building/unit/room part.
ROAD_ADDRESS_RE = re.compile(
    rf"(?:大道|胡同|路|街|道|巷|弄){_ADDR_SP}\d{{1,5}}(?:[-之]\d{{1,4}})?{_ADDR_SP}号院?"
    rf"(?:[ \u3000,，\-]?{_ADDR_PART})+"
)
# 幸福小区5栋302室: an estate, building/unit/floor parts, ending in a room.
ESTATE_ADDRESS_RE = re.compile(
    rf"(?:小区|花园|公寓|家园|新村|大厦|公馆|苑){_ADDR_SP}(?:(?:{_BUILDING}|{_UNIT}|{_FLOOR})[ \-]?)+{_ROOM}"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that end a road/estate name when walking backwards ("家住解放路…" → "解放路…").
_ADDRESS_NAME_STOP = set("住在于址为是的和与及至到从往")
_ADDRESS_NAME_MAX = 8

_SECRET_PERIOD = (
    r"(?:(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:年|个月|月|天)|启用前|长期"
    r"|\d{4}年\d{1,2}月\d{1,2}日)"
)
_SECRET_LEVEL = r"(?:绝密|机密|秘密)"
# GB/T 9704-2012 党政机关公文格式 7.2.2: 密级 and 保密期限 separated by ★ ("机密★1年", "秘密 ★").
STAR_MARK_RE = re.compile(rf"{_SECRET_LEVEL}{_HS}*[★☆](?:{_HS}*{_SECRET_PERIOD})?")
_LINE_PAD = r"[ \t\u3000【】\[\]()（）]*"
# A marking line: nothing but the level (and maybe ★ and a 期限), possibly bracketed.
LINE_MARK_RE = re.compile(
    rf"^{_LINE_PAD}({_SECRET_LEVEL}(?:{_HS}*[★☆]{_HS}*{_SECRET_PERIOD}?)?){_LINE_PAD}\r?$", re.M
)
# A 密级 field in a form or spreadsheet row ("密级：秘密", "密级\t机密"; tab joins cells).
LEVEL_FIELD_RE = re.compile(rf"密级{_HS}*[:：]?{_HS}*{_SECRET_LEVEL}")
SECRET_PHRASE_RE = re.compile(r"内部资料|不得外传|涉密")

_NAME_LABELS = "姓名|联系人|申请人|被申请人|当事人|经办人|户主|承办人|投诉人|举报人|收件人|法定代表人|代理人"
# The name is the shortest run of 2–6 characters that is followed by a delimiter or a label.
NAME_RE = re.compile(
    rf"(?:{_NAME_LABELS}){_HS}*[:：]{_HS}*([\u4e00-\u9fff][\u4e00-\u9fff·]{{1,5}}?)"
    r"(?=[\s,，、;；。.)）(（/|:：]|电话|手机|身份证|联系|公民|证件|$)"
)
ID_PHONE_LABEL_RE = re.compile(r"身份证|公民身份号码|证件号|电话|手机|联系方式")
_NAME_LABEL_WINDOW = 40


# --- detectors ----------------------------------------------------------------------


def _finding(kind: str, severity: str, label: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind, severity, start, end, text[start:end], label)


def _id_cards(text: str) -> Iterator[Finding]:
    for m in ID_RE.finditer(text):
        if is_valid_id_card(m.group()):
            yield _finding("id_card", BLOCKING, LABEL_ID_CARD, text, m.start(), m.end())


def _bank_cards(text: str) -> Iterator[Finding]:
    for m in BANK_RE.finditer(text):
        digits = m.group().replace(" ", "").replace("-", "")
        if not (_plausible_card_prefix(digits) and luhn_ok(digits)):
            continue
        if len(digits) == 18 and is_valid_id_card(digits):
            continue  # an ID that happens to pass Luhn is reported as id_card only
        yield _finding("bank_card", BLOCKING, LABEL_BANK_CARD, text, m.start(), m.end())


def _mobiles(text: str) -> Iterator[Finding]:
    for m in MOBILE_RE.finditer(text):
        yield _finding("mobile", WARNING, LABEL_MOBILE, text, m.start(), m.end())


def _emails(text: str) -> Iterator[Finding]:
    for m in EMAIL_RE.finditer(text):
        yield _finding("email", WARNING, LABEL_EMAIL, text, m.start(), m.end())


def _address_start(text: str, start: int) -> int:
    """Walk back over the road/estate name so the span starts where the name does."""
    limit = max(0, start - _ADDRESS_NAME_MAX)
    while start > limit and _CJK.match(text[start - 1]) and text[start - 1] not in _ADDRESS_NAME_STOP:
        start -= 1
    return start


def _addresses(text: str) -> Iterator[Finding]:
    for pattern in (ROAD_ADDRESS_RE, ESTATE_ADDRESS_RE):
        for m in pattern.finditer(text):
            yield _finding("address", WARNING, LABEL_ADDRESS, text, _address_start(text, m.start()), m.end())


def _secret_marks(text: str) -> Iterator[Finding]:
    for pattern in (STAR_MARK_RE, LEVEL_FIELD_RE):
        for m in pattern.finditer(text):
            yield _finding("secret_mark", BLOCKING, LABEL_SECRET_MARK, text, m.start(), m.end())
    for m in LINE_MARK_RE.finditer(text):
        yield _finding("secret_mark", BLOCKING, LABEL_SECRET_MARK, text, m.start(1), m.end(1))
    # Kept blocking everywhere, even in "上网信息不涉密，涉密信息不上网": a reviewer must look.
    for m in SECRET_PHRASE_RE.finditer(text):
        yield _finding("secret_mark", BLOCKING, LABEL_SECRET_PHRASE, text, m.start(), m.end())


@lru_cache(maxsize=32)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so that "内部文件" wins over "内部" at the same position.
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _sensitive_words(text: str, words: tuple[str, ...]) -> Iterator[Finding]:
    if not words:
        return
    for m in _words_pattern(words).finditer(text):
        yield _finding("sensitive_word", WARNING, LABEL_SENSITIVE_WORD, text, m.start(), m.end())


def _names_next_to_labels(text: str) -> Iterator[Finding]:
    # The JSON kind set is fixed (no "name" kind), and "address"/"mobile"/"id_card" would
    # mislead; a personal name is reported as a sensitive_word warning with its own label.
    # The number next to it is reported separately under its own kind.
    for m in NAME_RE.finditer(text):
        start, end = m.span(1)
        window = text[max(0, start - _NAME_LABEL_WINDOW) : end + _NAME_LABEL_WINDOW]
        if ID_PHONE_LABEL_RE.search(window):
            yield _finding("sensitive_word", WARNING, LABEL_NAME, text, start, end)


# --- configuration --------------------------------------------------------------------


def _configured_words_path() -> str:
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return ""
    try:
        return str(getattr(settings, "SENSITIVE_WORDS_FILE", "") or "")
    except ImproperlyConfigured:  # used outside Django (scripts, pure unit tests)
        return ""


@lru_cache(maxsize=4)
def _read_words(path: str, mtime_ns: int) -> tuple[str, ...]:
    # mtime_ns is part of the cache key so an edited list is picked up without a restart.
    with open(path, encoding="utf-8-sig") as fh:
        lines = (line.strip() for line in fh)
        return tuple(dict.fromkeys(line for line in lines if line and not line.startswith("#")))


def configured_sensitive_words() -> list[str]:
    """The deployment's word list from settings.SENSITIVE_WORDS_FILE (one per line, # comments)."""
    path = _configured_words_path()
    if not path:
        return []
    try:
        return list(_read_words(path, os.stat(path).st_mtime_ns))
    except OSError as exc:
        # Screening must keep working, but a silently missing list would be worse: log loudly.
        logger.error("敏感词表无法读取（SENSITIVE_WORDS_FILE=%s）：%s", path, exc)
        return []


# --- public entry points ---------------------------------------------------------------


def _resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the more severe, then the longer, then the earlier of overlapping findings."""
    ranked = sorted(findings, key=lambda f: (_SEVERITY_RANK[f.severity], f.start - f.end, f.start))
    starts: list[int] = []
    kept: list[Finding] = []  # sorted by start, pairwise disjoint
    for f in ranked:
        i = bisect.bisect_left(starts, f.start)
        if i > 0 and kept[i - 1].end > f.start:
            continue
        if i < len(kept) and kept[i].start < f.end:
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept


def screen_text(text: str, extra_words: Iterable[str] | None = None) -> list[Finding]:
    """All findings in ``text``, non-overlapping and sorted by start offset."""
    if not text:
        return []
    words = tuple(dict.fromkeys(w for w in [*(extra_words or ()), *configured_sensitive_words()] if w))
    detectors: list[Iterator[Finding]] = [
        _secret_marks(text),
        _id_cards(text),
        _bank_cards(text),
        _mobiles(text),
        _emails(text),
        _addresses(text),
        _sensitive_words(text, words),
        _names_next_to_labels(text),
    ]
    return _resolve_overlaps(f for detector in detectors for f in detector)


# --- masking -------------------------------------------------------------------------


def _mask_positions(s: str, maskable: Callable[[str], bool], first: int, stop: int) -> str:
    """Replace the maskable characters numbered first..stop-1 by "*", keeping separators."""
    out, n = [], 0
    for c in s:
        if maskable(c):
            out.append("*" if first <= n < stop else c)
            n += 1
        else:
            out.append(c)
    return "".join(out)


def _mask_keep(s: str, maskable: Callable[[str], bool], head: int, tail: int) -> str:
    count = sum(1 for c in s if maskable(c))
    if count <= head + tail:
        return _mask_positions(s, maskable, 0, count)
    return _mask_positions(s, maskable, head, count - tail)


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_card(s: str) -> str:
    """110101199003071234 → 110***********1234 (first 3 and last 4 kept)."""
    return _mask_keep(s, str.isalnum, 3, 4)


def mask_phone(s: str) -> str:
    """13812345678 → 138****5678; a +86 prefix and separators are kept as written."""
    count = sum(1 for c in s if c.isdecimal())
    if count >= 11:  # the national number is the last 11 digits; hide its 4th–7th
        return _mask_positions(s, str.isdecimal, count - 8, count - 4)
    return _mask_keep(s, str.isdecimal, 3, 4)


def _mask_bank_card(s: str) -> str:
    return _mask_keep(s, str.isdecimal, 4, 4)


_MASKERS: dict[str, Callable[[str], str]] = {
    "id_card": mask_id_card,
    "bank_card": _mask_bank_card,
    "mobile": mask_phone,
}


def mask_text(text: str) -> str:
    """Mask every ID number, bank card number and mobile number found in ``text``."""
    findings = _resolve_overlaps([*_id_cards(text), *_bank_cards(text), *_mobiles(text)])
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos : f.start], _MASKERS[f.kind](f.text)]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
