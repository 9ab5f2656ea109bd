"""Checks on a 公开指南 revision before it is published: the one screening engine
(`core.screening`) plus the web addresses in the text, and the line diff shown to reviewers.

Pure functions: no database, no permissions (those are in `services.py`)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from yangguang.core import screening

from .guide import URL, URL_STOP

# 《政府网站发展指引》（国办发〔2017〕47号）：政府网站使用以 .gov.cn 为后缀的英文域名。
# A link to such a host (or to this site itself) may stand in a guide without a reviewer's check.
GOVERNMENT_DOMAIN_SUFFIX = "gov.cn"

# Every web address a reader could follow: any scheme://… and www.… addresses. `guide.URL` (what
# the public page renders as a link) is checked as well, match by match, so that an address
# rendered as a link is always one that was checked (see `links_in`).
LINK = re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[^{URL_STOP}]+", re.IGNORECASE)
HOST_CHARS = re.compile(r"^[a-z0-9.\-]+$")

KIND_EXTERNAL_LINK = "external_link"
LABEL_EXTERNAL_LINK = "外部链接（非本网站或政府网站域名）"


def site_hosts() -> tuple[set[str], tuple[str, ...]]:
    """(exact host names, domain suffixes) of this site: the host of settings.SITE_URL and the
    names it answers to (ALLOWED_HOSTS: the generated guide links to the host it was read on)."""
    exact, suffixes = set(), []
    site = (urlsplit(getattr(settings, "SITE_URL", "") or "").hostname or "").lower()
    if site:
        exact.add(site)
    for host in getattr(settings, "ALLOWED_HOSTS", ()):
        host = host.lower().strip()
        if not host or host == "*":
            continue
        if host.startswith("."):  # Django: ".example.org" is the domain and its subdomains
            suffixes.append(host[1:])
        else:
            exact.add(host.split(":")[0])
    return exact, tuple(suffixes)


def link_host(link: str) -> str:
    """The host a browser would go to, lower-case; "" when it cannot be told for sure."""
    raw = link if "://" in link else "http://" + link
    raw = raw.replace("\\", "/")  # browsers treat "\" as "/" in web addresses: http://a.com\@b.gov.cn
    try:
        host = (urlsplit(raw).hostname or "").rstrip(".")
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return ""
    return host if HOST_CHARS.match(host) else ""


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def is_allowed_host(host: str) -> bool:
    if not host:
        return False
    exact, suffixes = site_hosts()
    return host in exact or any(_within(host, d) for d in (GOVERNMENT_DOMAIN_SUFFIX, *suffixes))


def links_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, address) of every web address in `text`, rendered-link matches included."""
    seen, out = set(), []
    for pattern in (URL, LINK):
        for m in pattern.finditer(text):
            if m.span() not in seen:
                seen.add(m.span())
                out.append((m.start(), m.end(), m.group()))
    return sorted(out)


@dataclass
class GuideScreening:
    """What screening found in a guide text. `findings` are plain dicts (stored on the revision)."""

    findings: list[dict] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == screening.BLOCKING]

    @property
    def external_links(self) -> list[dict]:
        return [f for f in self.findings if f["kind"] == KIND_EXTERNAL_LINK]

    @property
    def warnings(self) -> list[dict]:
        """Warnings other than external links (those need their own confirmation)."""
        return [f for f in self.findings if f["severity"] == screening.WARNING and f["kind"] != KIND_EXTERNAL_LINK]

    def summary(self) -> dict:
        """For the audit log: counts by kind and the external hosts, never the personal data itself."""
        return {
            "blocking": dict(Counter(f["kind"] for f in self.blocking)),
            "warnings": dict(Counter(f["kind"] for f in self.warnings)),
            "external_links": sorted({f["host"] or f["text"][:100] for f in self.external_links}),
        }


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def screen_guide(text: str) -> GuideScreening:
    """Screen `text` like a document (secret marks, ID and bank card numbers block; mobile numbers,
    e-mail addresses, home addresses warn) and flag every link outside this site and .gov.cn."""
    out = []
    for f in screening.screen_text(text):  # the deployment's word list (settings) included
        out.append({"kind": f.kind, "severity": f.severity, "label": f.label, "text": f.text[:200],
                    "line": _line_of(text, f.start), "host": ""})
    for start, _end, link in links_in(text):
        host = link_host(link)
        if not is_allowed_host(host):
            out.append({"kind": KIND_EXTERNAL_LINK, "severity": screening.WARNING, "label": LABEL_EXTERNAL_LINK,
                        "text": link[:200], "line": _line_of(text, start), "host": host})
    out.sort(key=lambda f: (f["line"], f["kind"]))
    return GuideScreening(out)


def describe(findings: list[dict]) -> list[str]:
    """One line per finding for a message: where, what, and the hit (personal numbers masked)."""
    return [
        _("第%(line)d行：%(label)s“%(text)s”") % {
            "line": f["line"], "label": f["label"], "text": screening.mask_text(f["text"])[:80],
        }
        for f in findings
    ]


# --- diff ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DiffRow:
    kind: str  # "hunk", "same", "add" or "del"
    old_no: int | None
    new_no: int | None
    text: str


def _lines(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n")
    return text.split("\n") if text else []


def diff_rows(old: str, new: str, context: int = 2) -> list[DiffRow]:
    """A unified line diff (difflib) as rows for an escaped template table; [] when equal."""
    a, b = _lines(old), _lines(new)
    rows: list[DiffRow] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        first = group[0]
        rows.append(DiffRow("hunk", None, None, _("原第%(a)d行、新第%(b)d行起") % {"a": first[1] + 1, "b": first[3] + 1}))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffRow("same", i + 1, j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
                continue
            rows += [DiffRow("del", i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [DiffRow("add", None, j + 1, b[j]) for j in range(j1, j2)]
    return rows
