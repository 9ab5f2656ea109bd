"""月度发布任务 (monthly quota): resolution down the org tree, and the supervisor's edit (audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization

from .models import DEFAULT_MONTHLY_QUOTA, PublicationQuota

MAX_QUOTA = 10_000


def _ancestors(path: str) -> list[int]:
    """Ids on a materialised path '/1/7/42/', deepest first."""
    return [int(p) for p in reversed(path.strip("/").split("/")) if p]


def resolve(orgs: list[tuple[int, str]]) -> dict[int, tuple[int, int | None]]:
    """For (id, path) pairs: id → (monthly quota, id of the org whose row set it; None = default)."""
    wanted = {a for _id, path in orgs for a in _ancestors(path)}
    rows = dict(PublicationQuota.objects.filter(org_id__in=wanted).values_list("org_id", "monthly")) if wanted else {}
    out = {}
    for org_id, path in orgs:
        source = next((a for a in _ancestors(path) if a in rows), None)
        out[org_id] = (rows[source], source) if source is not None else (DEFAULT_MONTHLY_QUOTA, None)
    return out


def set_quota(org: Organization, by, monthly: int | None) -> PublicationQuota | None:
    """Set `org`'s monthly quota (for its subtree unless deeper orgs have their own); None removes the
    org's own setting so it inherits again. One transaction, one audit event."""
    if not permissions.supervises(by, org):
        raise NotAllowed(_("只有本地区政务公开办可以设置月度发布任务。"))
    if monthly is not None and not 0 <= monthly <= MAX_QUOTA:
        raise InvalidInput(_("每月应发布条数应为0至%(max)s之间的整数。") % {"max": MAX_QUOTA})
    with transaction.atomic():
        old = PublicationQuota.objects.select_for_update().filter(org=org).first()
        before = old.monthly if old else None
        if monthly is None:
            if old is not None:
                old.delete()
            row = None
        else:
            row, _created = PublicationQuota.objects.update_or_create(
                org=org, defaults={"monthly": monthly, "updated_by": by})
        audit.record("quota.set", ("supervision.publicationquota", org.pk), actor=by, org_id=org.pk,
                     data={"org": org.pk, "from": before, "to": monthly})
    return row
