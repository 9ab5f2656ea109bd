"""Which organizations one annual report counts.

Decision (spec/annual-report.md "Aggregation": a government's report aggregates its own offices):
a report covers its org plus the departments below it reached through departments only — a county
government's report counts the county government and its 部门 (and their internal sub-departments),
never a subordinate government (乡镇, 街道, or a district below a city), which publishes its own
report. A department's report is the department plus any department nested in it.
"""

from __future__ import annotations

from collections import defaultdict

from yangguang.orgs.models import Organization, OrgKind


def _walk(root_id: int, children: dict[int | None, list[tuple[int, str]]]) -> list[int]:
    ids, stack = [root_id], [root_id]
    while stack:
        for child_id, kind in children.get(stack.pop(), ()):
            if kind == OrgKind.DEPARTMENT:
                ids.append(child_id)
                stack.append(child_id)
    return ids


def _children(orgs) -> dict[int | None, list[tuple[int, str]]]:
    children: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
    for org_id, parent_id, kind in orgs:
        children[parent_id].append((org_id, kind))
    return children


def scope_ids(org: Organization) -> list[int]:
    """The ids counted in `org`'s report (itself first)."""
    rows = Organization.objects.filter(path__startswith=org.path).values_list("id", "parent_id", "kind")
    return _walk(org.id, _children(rows))


def all_scopes(org_ids=None) -> dict[int, list[int]]:
    """The scope of every org (or of `org_ids`) from one query over the org table."""
    children = _children(Organization.objects.values_list("id", "parent_id", "kind"))
    wanted = org_ids if org_ids is not None else [oid for kids in children.values() for oid, _k in kids]
    return {oid: _walk(oid, children) for oid in wanted}
