"""What every importer shares: strict headers and keys, file fingerprints, the ImportRun record.

A file with a duplicated column (csv.DictReader keeps the last one), a duplicated JSON key
(json keeps the last one) or a column nobody reads (a typo such as `titel`, silently dropped)
would import something other than what its author sees in the file. All three are errors that
name the row and the column, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .models_imports import ImportRun

HEADER_LINE = 1


def header_problems(fieldnames: Iterable[str] | None, columns: list[str], optional: Iterable[str] = ()) -> list[str]:
    """Messages for a CSV header: missing, duplicated and unknown columns (empty when it is good)."""
    names = [(n or "").strip() for n in (fieldnames or [])]
    allowed = [*columns, *optional]
    problems = []
    missing = [c for c in columns if c not in names]
    if missing:
        problems.append(_("CSV表头缺少列：%(missing)s（应为 %(columns)s）")
                        % {"missing": ", ".join(missing), "columns": ",".join(columns)})
    for name, n in Counter(names).items():
        if n > 1:
            positions = "、".join(str(i) for i, x in enumerate(names, start=1) if x == name)
            problems.append(_("第%(line)d行（表头）：列“%(name)s”重复出现（第%(positions)s列）")
                            % {"line": HEADER_LINE, "name": name, "positions": positions})
    for i, name in enumerate(names, start=1):
        if name not in allowed:
            shown = name or _("（空列名）")
            problems.append(_("第%(line)d行（表头）第%(i)d列：未知列“%(name)s”（可用的列：%(allowed)s）")
                            % {"line": HEADER_LINE, "i": i, "name": shown, "allowed": ",".join(allowed)})
    return problems


def check_header(fieldnames: Iterable[str] | None, columns: list[str], optional: Iterable[str] = ()) -> None:
    problems = header_problems(fieldnames, columns, optional)
    if problems:
        raise InvalidInput(_("CSV表头有误，未导入任何数据："), details=problems)


def csv_row_problems(rec: dict) -> list[str]:
    """A data row with more fields than the header (csv.DictReader files them under None)."""
    extra = rec.get(None)
    return [_("比表头多出%(n)d列") % {"n": len(extra)}] if extra else []


class _Object(dict):
    """A decoded JSON object that remembers which keys it saw more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, object]]) -> _Object:
    out = _Object(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        out.duplicates = tuple(dict.fromkeys(k for k, _v in pairs if k in seen or seen.add(k)))
    return out


def parse_json_object(line: str, allowed: Iterable[str]) -> dict | list[str]:
    """One JSON Lines record, or the list of its problems: not JSON, not an object, a key twice,
    a key that is not a column."""
    try:
        rec = json.loads(line, object_pairs_hook=_pairs)
    except ValueError:
        return [_("不是有效的JSON")]
    if not isinstance(rec, dict):
        return [_("应为一个JSON对象")]
    problems = [_("键“%(key)s”重复出现") % {"key": k} for k in getattr(rec, "duplicates", ())]
    allowed = set(allowed)
    problems += [_("未知键“%(key)s”（可用的键：%(allowed)s）") % {"key": k, "allowed": ",".join(sorted(allowed))}
                 for k in rec if k not in allowed]
    return problems or dict(rec)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def start_run(kind: str, path: Path, by=None) -> ImportRun:
    """The run's record, committed at once (outside any import transaction)."""
    with transaction.atomic():
        return ImportRun.objects.create(kind=kind, file_name=path.name[:255], file_path=str(path.resolve())[:1000],
                                        file_sha256=file_sha256(path), by=by if getattr(by, "pk", None) else None)


def fail_run(run: ImportRun, error: str) -> None:
    """Record why a run stopped, in its own transaction (the import's own was rolled back)."""
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.FAILED, error=error[:2000],
                                                   finished_at=timezone.now())
    run.refresh_from_db()
