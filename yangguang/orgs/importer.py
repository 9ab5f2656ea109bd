"""`yangguang import-orgs FILE.csv`: all-or-nothing, every bad row reported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput
from yangguang.core.imports import check_header, csv_row_problems

from .models import Organization, OrgKind
from .services import create_organization, org_problems

COLUMNS = ["code", "name", "short_name", "parent_code", "kind", "slug"]


@dataclass
class OrgRow:
    line: int
    code: str
    name: str
    short_name: str
    parent_code: str
    kind: str
    slug: str


def _kind(value: str) -> str:
    value = value.strip()
    for code, label in OrgKind.choices:
        if value in (code, label):
            return code
    return value


def read_rows(text: str) -> list[OrgRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    check_header(reader.fieldnames, COLUMNS)  # missing, duplicated, unknown columns
    rows, extra = [], []
    for i, rec in enumerate(reader, start=2):
        extra += [_("第%(line)s行：%(problem)s") % {"line": i, "problem": p} for p in csv_row_problems(rec)]
        v = {k: (rec.get(k) or "").strip() for k in COLUMNS}
        rows.append(OrgRow(i, v["code"].upper(), v["name"], v["short_name"], v["parent_code"].upper(),
                           _kind(v["kind"]), v["slug"]))
    if extra:
        raise InvalidInput(_("导入失败，共%(n)d处错误，未导入任何机构：") % {"n": len(extra)}, details=extra)
    return rows


def validate(rows: list[OrgRow]) -> list[str]:
    errors: list[str] = []
    existing_codes = set(Organization.objects.values_list("code", flat=True))
    existing_slugs = set(Organization.objects.values_list("slug", flat=True))
    file_codes: dict[str, int] = {}
    file_slugs: dict[str, int] = {}
    for r in rows:
        problems = org_problems(code=r.code, name=r.name, kind=r.kind, slug=r.slug)
        if r.code in existing_codes:
            problems.append(_("机构代码%(code)s已存在") % {"code": r.code})
        elif r.code in file_codes:
            problems.append(_("机构代码%(code)s与第%(line)s行重复") % {"code": r.code, "line": file_codes[r.code]})
        if r.slug in existing_slugs:
            problems.append(_("网址标识%(slug)s已被使用") % {"slug": r.slug})
        elif r.slug in file_slugs:
            problems.append(_("网址标识%(slug)s与第%(line)s行重复") % {"slug": r.slug, "line": file_slugs[r.slug]})
        file_codes.setdefault(r.code, r.line)
        file_slugs.setdefault(r.slug, r.line)
        errors += [_("第%(line)s行：%(problem)s") % {"line": r.line, "problem": p} for p in problems]
    by_code = {r.code: r for r in rows}
    for r in rows:
        if r.parent_code and r.parent_code not in by_code and r.parent_code not in existing_codes:
            errors.append(_("第%(line)s行：上级机构代码%(code)s不存在") % {"line": r.line, "code": r.parent_code})
        # cycle detection within the file
        seen, cur = set(), r
        while cur is not None and cur.parent_code in by_code:
            if cur.code in seen:
                errors.append(_("第%(line)s行：上级机构关系形成循环") % {"line": r.line})
                break
            seen.add(cur.code)
            cur = by_code[cur.parent_code]
    return errors


def import_orgs(text: str, by=None, progress=None) -> list[Organization]:
    rows = read_rows(text)
    if not rows:
        raise InvalidInput(_("文件中没有机构数据。"))
    errors = validate(rows)
    if errors:
        raise InvalidInput(_("导入失败，共%(n)d处错误，未导入任何机构：") % {"n": len(errors)}, details=errors)
    by_code = {r.code: r for r in rows}
    created: dict[str, Organization] = {}
    order: list[OrgRow] = []
    placed: set[str] = set()

    def place(r: OrgRow):
        if r.code in placed:
            return
        if r.parent_code in by_code:
            place(by_code[r.parent_code])
        placed.add(r.code)
        order.append(r)

    for r in rows:
        place(r)
    with transaction.atomic():
        for n, r in enumerate(order, start=1):
            parent = created.get(r.parent_code) or (
                Organization.objects.get(code=r.parent_code) if r.parent_code else None
            )
            created[r.code] = create_organization(
                code=r.code, name=r.name, short_name=r.short_name, kind=r.kind, slug=r.slug, parent=parent,
                by=by, audit_event=False,
            )
            if progress:
                progress(n, len(order))
        audit.record("org.import", ("orgs.organization", "import"), actor=by,
                     data={"count": len(order), "codes": [r.code for r in order][:1000]})
    return [created[r.code] for r in rows]
