from datetime import timedelta

import pytest
from helpers import Staff, new_org

from yangguang.publishing.models import Document


@pytest.fixture
def apply_outbox():
    """apply_outbox() -> rows applied: what the task worker does after a commit."""
    from yangguang.core.search.changes import apply

    return apply


@pytest.fixture
def staff_c(city):
    return Staff(new_org("测试市发展和改革委员会", "fgw", parent=city), "c")


@pytest.fixture
def publish(staff_a, staff_b, staff_c):
    """publish(org_slug, title, body, **fields) -> the public Document, through the real chain."""
    staffs = {"jyj": staff_a, "mzj": staff_b, "fgw": staff_c}

    def _publish(org: str, title: str, body: str = "正文。", **fields) -> Document:
        validity = fields.get("validity", "valid")
        if validity != "valid" and "validity_date" not in fields:
            fields["validity_date"] = fields.get("published_date") + timedelta(days=1)
        if validity == "abolished" and "abolished_by" not in fields:
            fields["abolished_by"] = "关于废止部分规范性文件的决定"
        staff = staffs[org]
        edition = staff.publish(staff.draft(title=title, body=body, **fields))
        return Document.objects.get(pk=edition.document_id)

    return _publish
