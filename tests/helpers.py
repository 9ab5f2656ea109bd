"""Test helpers shared by the suite (importable because pyproject sets pythonpath=tests)."""

from yangguang.orgs.codes import make_credit_code
from yangguang.orgs.models import Organization
from yangguang.orgs.services import create_organization, create_user
from yangguang.publishing import services
from yangguang.publishing.models import Column

PASSWORD = "Test@2026pass"
_seq = iter(range(10_000, 99_999))


def new_org(name: str, slug: str, kind: str = "department", parent: Organization | None = None) -> Organization:
    code = make_credit_code(f"11530100MB{next(_seq):05d}AB")
    return create_organization(code=code, name=name, kind=kind, slug=slug, parent=parent)


def new_user(username: str, org, *roles: str):
    return create_user(username=username, password=PASSWORD, org=org, roles=list(roles), display_name=username)


class Staff:
    """The people of one department: a clerk and one reviewer per level of the default chain."""

    def __init__(self, org, prefix: str):
        self.org = org
        self.clerk = new_user(f"{prefix}_clerk", org, "clerk")
        self.section_head = new_user(f"{prefix}_kz", org, "section_head")
        self.secrecy = new_user(f"{prefix}_bm", org, "secrecy")
        self.deputy = new_user(f"{prefix}_fg", org, "deputy")
        self.principal = new_user(f"{prefix}_zy", org, "principal", "urgent")
        self.chain = [self.section_head, self.secrecy, self.deputy, self.principal]

    def column(self, slug: str = "tzgg") -> Column:
        return Column.objects.get(org=self.org, slug=slug)

    def draft(self, title: str = "关于做好2026年义务教育招生工作的通知", body: str = "各县（区）教育局：现将有关事项通知如下。",
              column: str = "tzgg", **fields):
        data = {"title": title, "body": body, "topic": "11", "genre": "notice", "validity": "valid", **fields}
        return services.create_draft(self.clerk, self.column(column), data)

    def publish(self, edition):
        services.submit(edition, self.clerk)
        for reviewer in self.chain:
            edition = services.approve(edition, reviewer, "同意")
        edition.refresh_from_db()
        return edition


def valid_id(prefix17: str) -> str:
    """GB 11643-1999 check character, computed independently of the product code."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]
