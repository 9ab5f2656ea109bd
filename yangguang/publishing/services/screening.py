"""Screening of an edition's title, body and attachments, stored as findings."""

from __future__ import annotations

import hashlib

from yangguang.core import screening

from ..models import Edition, ScreeningFinding


def _fingerprint(source: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{source}|{kind}|{text}".encode()).hexdigest()


def findings_for(edition: Edition) -> list[ScreeningFinding]:
    """Screen the current content; unsaved finding objects (acceptances not yet applied)."""
    words = screening.configured_sensitive_words()
    sources: list[tuple[str, str, str]] = [("title", "标题", edition.title), ("body", "正文", edition.body_text)]
    if edition.pk:
        for att in edition.attachments.all():
            sources.append((f"attachment:{att.public_id}", f"附件：{att.original_name}", att.text))
    out = []
    for source, source_label, text in sources:
        for f in screening.screen_text(text or "", extra_words=words):
            out.append(ScreeningFinding(
                edition=edition, source=source, source_label=source_label, kind=f.kind, label=f.label,
                severity=f.severity, start=f.start, end=f.end, text=f.text[:200],
                fingerprint=_fingerprint(source, f.kind, f.text),
            ))
    return out


def rescreen(edition: Edition, fresh: list[ScreeningFinding] | None = None) -> list[ScreeningFinding]:
    """Replace the stored findings, keeping earlier acceptances of the same finding.
    `fresh`: findings_for(edition) computed before the caller's transaction (see review.py)."""
    accepted = {
        f.fingerprint: f for f in edition.findings.filter(accepted_at__isnull=False)
    }
    fresh = findings_for(edition) if fresh is None else fresh
    for f in fresh:
        old = accepted.get(f.fingerprint)
        if old is not None and f.severity == ScreeningFinding.Severity.WARNING:
            f.accepted_by_id, f.accepted_reason, f.accepted_at = old.accepted_by_id, old.accepted_reason, old.accepted_at
    edition.findings.all().delete()
    ScreeningFinding.objects.bulk_create(fresh)
    return fresh


def open_problems(findings: list[ScreeningFinding]) -> tuple[int, int]:
    """(blocking findings, unaccepted warnings)."""
    blocking = sum(1 for f in findings if f.severity == ScreeningFinding.Severity.BLOCKING)
    warnings = sum(1 for f in findings if f.severity == ScreeningFinding.Severity.WARNING and f.accepted_at is None)
    return blocking, warnings
