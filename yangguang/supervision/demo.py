"""Demo data of 通报 (`yangguang load-demo`): the demo city's 政务公开办 sets a monthly task that fits the
demo's small volume, and last month's bulletin draft is created as the monthly task would on the 1st."""

from yangguang.orgs.models import User
from yangguang.orgs.roles import Role

from .quotas import set_quota
from .services import generate_monthly, supervised_regions

DEMO_MONTHLY_QUOTA = 2  # the demo publishes ~20 items a month over 30 units; the default (10) would fail all


def load_bulletins() -> int:
    """Returns how many drafts were created."""
    for region in supervised_regions():
        user = User.objects.filter(org=region, role_grants__role=Role.SUPERVISOR, is_active=True).first()
        set_quota(region, user, DEMO_MONTHLY_QUOTA)
    return len(generate_monthly()["created"])
