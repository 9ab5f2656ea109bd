"""Tables 二, 三 and 四 of the annual report, computed from records by SQL aggregation.

Four grouped queries cover any number of orgs at once (GROUP BY org): published 规章/行政规范性文件,
applications, 复议/诉讼 cases, and the staff-entered figures. A report's tables are the sum of
the per-org tables over its scope (`scope.py`). The JSON shape (spec/annual-report.md):

- table2: {"rule": {"made", "abolished", "valid"}, "normative": {...}, "licensing", "penalty",
  "enforcement", "fees"} — fees in 万元 (a number with at most 4 decimals);
- table3: {row key: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]};
- table4: fifteen integers (行政复议, 未经复议直接起诉, 复议后起诉 × 维持, 纠正, 其他, 尚未审结, 总计).

Which org an application counts for: `Application.org`, the 受理机关 that received it and in whose
name the reply is given. `assigned_org` is only the department it was handed to inside that
org's region for handling (分办); counting it there too would count one application twice.
Likewise a 复议/诉讼 case counts for the org of its application (the 被申请人/被告 is the org that replied).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from yangguang.disclosure.law import OUTCOMES
from yangguang.disclosure.models import Application, Remedy
from yangguang.publishing.models import Document
from yangguang.publishing.taxonomy import Genre, Validity

from . import rows as R
from .models import EnteredFigures

Tables = dict  # {"table2": ..., "table3": ..., "table4": ...}

FEES_QUANTUM = Decimal("0.0001")


def empty() -> Tables:
    return {
        "table2": {"rule": dict.fromkeys(R.TABLE2_DOC_FIELDS, 0), "normative": dict.fromkeys(R.TABLE2_DOC_FIELDS, 0),
                   "licensing": 0, "penalty": 0, "enforcement": 0, "fees": 0},
        "table3": {key: [0] * 7 for key in R.TABLE3_KEYS},
        "table4": [0] * R.TABLE4_LEN,
    }


def ordered(t: Tables) -> Tables:
    """The tables with their keys in the format's order (jsonb does not keep key order)."""
    t2 = t["table2"]
    return {
        "table2": {**{g: {f: t2[g][f] for f in R.TABLE2_DOC_FIELDS} for g in ("rule", "normative")},
                   **{k: t2[k] for k in ("licensing", "penalty", "enforcement", "fees")}},
        "table3": {k: t["table3"][k] for k in R.TABLE3_KEYS},
        "table4": list(t["table4"]),
        **({"timeliness": t["timeliness"]} if "timeliness" in t else {}),  # reports.replies, versions since #14
    }


def _fees(value) -> float | int:
    d = Decimal(str(value or 0)).quantize(FEES_QUANTUM)
    return int(d) if d == d.to_integral_value() else float(d)


def add(a: Tables, b: Tables) -> Tables:
    """The cell-by-cell sum of two tables (a region's report is the sum of its offices')."""
    t2a, t2b = a["table2"], b["table2"]
    return {
        "table2": {
            **{g: {f: t2a[g][f] + t2b[g][f] for f in R.TABLE2_DOC_FIELDS} for g in ("rule", "normative")},
            **{k: t2a[k] + t2b[k] for k in ("licensing", "penalty", "enforcement")},
            "fees": _fees(Decimal(str(t2a["fees"])) + Decimal(str(t2b["fees"]))),
        },
        "table3": {k: [x + y for x, y in zip(a["table3"][k], b["table3"][k], strict=True)] for k in R.TABLE3_KEYS},
        "table4": [x + y for x, y in zip(a["table4"], b["table4"], strict=True)],
    }


def _range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _filter_orgs(qs, field: str, org_ids: Iterable[int] | None):
    return qs if org_ids is None else qs.filter(**{f"{field}__in": list(org_ids)})


def _documents(year: int, org_ids, out: dict[int, Tables]) -> None:
    """条例第20条第（一）项. 制发 = written date (成文日期; the publication date where none was
    recorded) in the year; 废止 = validity 废止 with its date in the year; 现行有效 = written by the
    year end and not yet 失效/废止 at the year end. Only public documents (what the portal shows)."""
    start, end = _range(year)
    qs = _filter_orgs(Document.objects.public(), "org_id", org_ids).filter(
        live_edition__genre__in=(Genre.RULE, Genre.NORMATIVE))
    qs = qs.alias(written=Coalesce("live_edition__written_date", "live_edition__published_date"))
    ended = Q(live_edition__validity__in=(Validity.EXPIRED, Validity.ABOLISHED), live_edition__validity_date__lte=end)
    grouped = qs.values("org_id", genre=F("live_edition__genre")).annotate(
        made=Count("id", filter=Q(written__range=(start, end))),
        abolished=Count("id", filter=Q(live_edition__validity=Validity.ABOLISHED,
                                       live_edition__validity_date__range=(start, end))),
        valid=Count("id", filter=Q(written__lte=end) & ~ended),
    )
    for row in grouped:
        cell = _get(out, row["org_id"])["table2"][row["genre"]]
        for f in R.TABLE2_DOC_FIELDS:
            cell[f] += row[f]


def _applications(year: int, org_ids, out: dict[int, Tables]) -> None:
    """Table 三. 一 = received in the year; 二 = received before it and not closed at its start;
    三 = closed in the year, by outcome code; 四 = received by the year end and still open after it."""
    start, end = _range(year)
    in_year_closed = Q(closed_date__range=(start, end))
    open_after = lambda day: Q(closed_date__isnull=True) | Q(closed_date__gt=day)  # noqa: E731
    qs = _filter_orgs(Application.objects.all(), "org_id", org_ids).filter(
        Q(received_date__lte=end) & (Q(closed_date__isnull=True) | Q(closed_date__gte=start)))
    outcome_counts = {f"o{i}": Count("id", filter=in_year_closed & Q(outcome=code)) for i, code in enumerate(OUTCOMES)}
    grouped = qs.values("org_id", "applicant_type").annotate(
        new=Count("id", filter=Q(received_date__range=(start, end))),
        carried_in=Count("id", filter=Q(received_date__lt=start) & open_after(start - timedelta(days=1))),
        carried_out=Count("id", filter=open_after(end)),
        **outcome_counts,
    )
    for row in grouped:
        if row["applicant_type"] not in R.APPLICANT_KEYS:
            continue  # types are validated on entry (disclosure.services.register, the importer)
        col = R.APPLICANT_KEYS.index(row["applicant_type"])
        t3 = _get(out, row["org_id"])["table3"]
        for key in ("new", "carried_in", "carried_out"):
            t3[key][col] += row[key]
        for i, code in enumerate(OUTCOMES):
            t3[code][col] += row[f"o{i}"]


def _remedies(year: int, org_ids, out: dict[int, Tables]) -> None:
    """Table 四: cases concluded in the year by result, plus those pending at the year end."""
    start, end = _range(year)
    concluded = Q(result_date__range=(start, end))
    pending = Q(filed_date__lte=end) & (Q(result="pending") | Q(result_date__gt=end))
    qs = _filter_orgs(Remedy.objects.all(), "application__org_id", org_ids)
    grouped = qs.values("kind", org_id=F("application__org_id")).annotate(
        upheld=Count("id", filter=concluded & Q(result="upheld")),
        corrected=Count("id", filter=concluded & Q(result="corrected")),
        other=Count("id", filter=concluded & Q(result="other")),
        pending=Count("id", filter=pending),
    )
    for row in grouped:
        if row["kind"] not in R.REMEDY_KINDS:
            continue
        base = R.REMEDY_KINDS.index(row["kind"]) * 5
        t4 = _get(out, row["org_id"])["table4"]
        for i, result in enumerate(R.REMEDY_RESULTS):
            t4[base + i] += row[result]


def _entered(year: int, org_ids, out: dict[int, Tables]) -> None:
    qs = _filter_orgs(EnteredFigures.objects.filter(year=year), "org_id", org_ids)
    for row in qs.values("org_id", "licensing", "penalty", "enforcement", "fees"):
        t2 = _get(out, row["org_id"])["table2"]
        for key in ("licensing", "penalty", "enforcement"):
            t2[key] += row[key]
        t2["fees"] = _fees(Decimal(str(t2["fees"])) + row["fees"])


def _get(out: dict[int, Tables], org_id: int) -> Tables:
    if org_id not in out:
        out[org_id] = empty()
    return out[org_id]


def finish(t: Tables) -> Tables:
    """Derive the subtotal rows, the （七）总计 row, the 总计 column and table 四's totals."""
    t3 = t["table3"]
    for group in R.GROUP_KEYS:
        if group in R.SUBTOTAL_GROUPS:
            subs = [c for c in OUTCOMES if c.split(".")[0] == group]
            t3[group] = [sum(t3[c][i] for c in subs) for i in range(7)]
    t3["total"] = [sum(t3[g][i] for g in R.GROUP_KEYS) for i in range(7)]
    for key in R.TABLE3_KEYS:
        t3[key][6] = sum(t3[key][:6])
    t4 = t["table4"]
    for base in (0, 5, 10):
        t4[base + 4] = sum(t4[base:base + 4])
    return t


def per_org(year: int, org_ids: Iterable[int] | None = None) -> dict[int, Tables]:
    """Each org's own tables (not yet summed over scopes): four grouped queries in all."""
    out: dict[int, Tables] = {}
    ids = None if org_ids is None else list(org_ids)
    _documents(year, ids, out)
    _applications(year, ids, out)
    _remedies(year, ids, out)
    _entered(year, ids, out)
    return out


def _add_into(acc: Tables, t: Tables) -> None:
    """acc += t, cell by cell, in place (fees summed exactly as Decimal)."""
    a2, t2 = acc["table2"], t["table2"]
    for g in ("rule", "normative"):
        for f in R.TABLE2_DOC_FIELDS:
            a2[g][f] += t2[g][f]
    for k in ("licensing", "penalty", "enforcement"):
        a2[k] += t2[k]
    if t2["fees"]:
        a2["fees"] = _fees(Decimal(str(a2["fees"])) + Decimal(str(t2["fees"])))
    a3 = acc["table3"]
    for k, row in t["table3"].items():
        acc_row = a3[k]
        for i in range(7):
            acc_row[i] += row[i]
    a4 = acc["table4"]
    for i, v in enumerate(t["table4"]):
        a4[i] += v


def total(own: dict[int, Tables], org_ids: Iterable[int]) -> Tables:
    """The finished tables of a report whose scope is `org_ids`, from the per-org tables."""
    result = empty()
    for oid in org_ids:
        if oid in own:
            _add_into(result, own[oid])
    return finish(result)


def compute(org, year: int) -> Tables:
    """The tables of `org`'s report for `year` (its scope summed)."""
    from .scope import scope_ids

    ids = scope_ids(org)
    return total(per_org(year, ids), ids)


def compute_all(year: int, org_ids: Iterable[int] | None = None) -> dict[int, Tables]:
    """Every org's report tables at once (the bench and the supervisor's overview)."""
    from .scope import all_scopes

    scopes = all_scopes(None if org_ids is None else list(org_ids))
    own = per_org(year, None if org_ids is None else {i for ids in scopes.values() for i in ids})
    return {oid: total(own, ids) for oid, ids in scopes.items()}
