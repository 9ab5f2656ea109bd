"""Who may use the supervision pages: 政务公开办 (Role.SUPERVISOR), over the subtree of its own org."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from yangguang.orgs import permissions
from yangguang.orgs.models import Organization

from .models import Bulletin
from .months import Month


def region_of(request) -> Organization:
    """The supervisor's region (its own org); 403 for everyone else."""
    region = permissions.supervisor_region(request.user)
    if region is None:
        raise PermissionDenied(_("只有政务公开办可以查看监管总览。"))
    return region


def org_in_region(request, pk: int) -> tuple[Organization, Organization]:
    region = region_of(request)
    org = get_object_or_404(Organization, pk=pk)
    if not permissions.in_region(org, region):
        raise Http404  # outside the region: not even its existence is confirmed
    return region, org


def bulletin_in_region(request, pk: int) -> Bulletin:
    region = region_of(request)
    bulletin = get_object_or_404(Bulletin.objects.select_related("region", "issued_by"), pk=pk)
    if not permissions.in_region(bulletin.region, region):
        raise Http404
    return bulletin


def month_param(request, today) -> Month:
    """?month=YYYY-MM, default the previous month; never a future month."""
    current = Month.of(today)
    try:
        month = Month.parse(request.GET.get("month", ""))
    except (ValueError, TypeError):
        return current.previous()
    return month if month <= current else current.previous()


def month_choices(today, count: int = 24) -> list[Month]:
    current = Month.of(today)
    return [current.minus(i) for i in range(count)]
