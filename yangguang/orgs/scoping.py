"""The old names of the organization-scope questions, kept for the modules that still import them
until the lead deletes this module (#16). The rules are orgs/permissions.py's; nothing here
decides anything."""

from .permissions import LEADER_ROLES, is_org_leader
from .permissions import acts_in_org as can_act_in_org
from .permissions import readable_orgs_q as readable_org_ids_q
from .permissions import reads_org as can_read_org

__all__ = ["LEADER_ROLES", "can_act_in_org", "can_read_org", "is_org_leader", "readable_org_ids_q"]
