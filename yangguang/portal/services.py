"""Portal business actions: the org's own 公开指南 text (one transaction, one audit event)."""

import hashlib

from django.db import transaction

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.orgs.scoping import can_act_in_org

from .models import OrgGuide

MAX_GUIDE_CHARS = 20_000


def save_guide(org, by, text: str) -> OrgGuide | None:
    """Store the org's own guide text; an empty text goes back to the generated guide."""
    if not can_act_in_org(by, org):
        raise NotAllowed("只有本机构的工作人员可以编辑本机构的政府信息公开指南。")
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_GUIDE_CHARS:
        raise InvalidInput(f"指南正文不能超过{MAX_GUIDE_CHARS}字（现为{len(text)}字）。")
    with transaction.atomic():
        guide = OrgGuide.objects.select_for_update().filter(org=org).first()
        if not text:
            if guide is None:
                return None
            audit.record("guide.reset", guide, actor=by, org_id=org.id, data={})
            guide.delete()
            return None
        if guide is None:
            guide = OrgGuide(org=org)
        guide.text = text
        guide.updated_by = by
        guide.save()
        digest = hashlib.sha256(text.encode()).hexdigest()
        audit.record("guide.update", guide, actor=by, org_id=org.id, data={"chars": len(text), "sha256": digest})
        return guide
