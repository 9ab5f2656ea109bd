"""Regions for the public pages: the city (市本级) and each county / district with its
subtree, built from one query over the organizations (materialised `path`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.orgs.models import Organization
from yangguang.orgs.permissions import in_region

REGION_KINDS = ("city", "county", "district")
# The order of kind groups inside a region on the directory page.
KIND_GROUPS = (
    ("government", gettext_lazy("人民政府"), ("city", "county", "district")),
    ("department", gettext_lazy("政府部门"), ("department",)),
    ("township", gettext_lazy("乡镇、街道"), ("township", "street")),
)


@dataclass
class Region:
    root: Organization | None
    label: str
    orgs: list[Organization] = field(default_factory=list)

    @property
    def org_ids(self) -> list[int]:
        return [o.id for o in self.orgs]

    def groups(self) -> list[tuple[str, str, list[Organization]]]:
        out = []
        for key, label, kinds in KIND_GROUPS:
            members = sorted((o for o in self.orgs if o.kind in kinds), key=lambda o: (o.path.count("/"), o.name))
            if members:
                out.append((key, label, members))
        return out


def regions(orgs=None) -> list[Region]:
    """City-level orgs first (the city government and its departments, 市本级), then one region
    per county / district (its whole subtree). Orgs above or outside any region come last."""
    orgs = list(orgs if orgs is not None else Organization.objects.only(
        "id", "parent_id", "name", "short_name", "kind", "slug", "path"))
    roots = [o for o in orgs if o.kind in REGION_KINDS]
    # The deepest region root on an org's path is its region (a county inside a city wins).
    by_path = sorted(roots, key=lambda o: len(o.path), reverse=True)
    result: dict[int | None, Region] = {}
    for root in sorted(roots, key=lambda o: (REGION_KINDS.index(o.kind) > 0, o.path.count("/"), o.name)):
        label = _("市本级") if root.kind == "city" else root.name
        result[root.id] = Region(root=root, label=label)
    for o in orgs:
        root = next((r for r in by_path if in_region(o, r)), None)
        key = root.id if root else None
        if key not in result:
            result[key] = Region(root=None, label=_("其他机构"))
        result[key].orgs.append(o)
    return list(result.values())
