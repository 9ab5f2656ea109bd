"""A small public site: a city, a county with a department, and documents in every public state."""

from dataclasses import dataclass

import pytest
from helpers import Staff, new_org, new_user
from portal_helpers import docx_bytes, publish

from yangguang.publishing import services
from yangguang.publishing.models import Document


@dataclass
class Site:
    city: object
    county: object
    staff: Staff
    county_staff: Staff
    public: Document
    policy: Document
    interpretation: Document
    withdrawn: Document
    removed: Document
    draft_title: str
    county_doc: Document


@pytest.fixture
def site(org_a, supervisor, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    city = org_a.parent
    county = new_org("测试县人民政府", "cs-county", kind="county", parent=city)
    county_dept = new_org("测试县教育局", "cs-county-jyj", parent=county)
    staff = Staff(org_a, "a")
    county_staff = Staff(county_dept, "c")
    edition = staff.draft(title="关于公开发布的通知", body="<p>公开的正文内容。</p>")
    services.add_attachment(edition, staff.clerk, "附件一.docx", docx_bytes("附件正文"))
    public = Document.objects.get(pk=staff.publish(edition).document_id)
    policy = publish(staff, "测试市教育惠民政策实施办法", column="zcwj", genre="normative")
    interpretation = publish(staff, "图解：教育惠民政策实施办法", column="zcjd", genre="interpretation")
    services.link_interpretation(interpretation, policy, "graphic", staff.clerk)
    withdrawn = publish(staff, "已撤回的错误通知")
    services.withdraw(withdrawn, staff.principal, "该通知内容有误，已重新发布。")
    removed = publish(staff, "被下架的通知")
    services.remove_document(removed, supervisor, "违规发布")
    staff.draft(title="尚在起草的草稿通知")
    county_doc = publish(county_staff, "县教育局义务教育招生公告")
    for d in (public, policy, interpretation, withdrawn, removed, county_doc):
        d.refresh_from_db()
    return Site(city, county, staff, county_staff, public, policy, interpretation, withdrawn, removed,
                "尚在起草的草稿通知", county_doc)


@pytest.fixture
def outsider(org_b):
    return new_user("b_clerk", org_b, "clerk")
