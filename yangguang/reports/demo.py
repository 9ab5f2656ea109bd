"""Demo annual reports for last year: published for the city government and two departments (one of
them with a published correction), each written by staff and signed off by a leader of the org."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from yangguang.orgs.models import Organization, User

from . import checks, replies, services, tables
from .scope import scope_ids

PROBLEMS = ("一是部分栏目更新不够及时，个别政策文件解读材料发布滞后；二是依申请公开答复文书的规范性有待提高。"
            "下一步将落实栏目更新责任人，建立政策文件与解读材料同步审核、同步发布机制，并组织答复文书专题培训。")

# (org slug, writer, leader, published?, figures: licensing, penalty, enforcement, fees in 万元). The writer
# enters the figures and the narrative; the leader (主要领导/分管领导, services.can_sign_off) finalizes,
# publishes and corrects. mingxi_sh is the city government's reviewer holding every chain role.
PLAN = (
    ("mingxi", "gkb", "mingxi_sh", True, (126, 48, 5, Decimal("12.5"))),
    ("jyj", "jyj_clerk", "jyj_zy", True, (35, 2, 0, Decimal("0"))),
    ("mzj", "mzj_clerk", "mzj_fg", True, (58, 0, 0, Decimal("1.2"))),
)


def _overview(org, year: int) -> str:
    computed = replies.with_figures(tables.compute(org, year), scope_ids(org), year)
    fee = services.fee_total_yuan(scope_ids(org), year)
    sentences = [text for label, text in checks.proposals(computed, fee) if label != "信息处理费"]
    return (f"{year}年，{org.name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            f"持续推进决策、执行、管理、服务、结果公开。\n" + "".join(sentences))


def load_reports() -> int:
    """Create the demo reports; returns how many versions were published."""
    year = timezone.localdate().year - 1
    published = 0
    for slug, username, leader_name, publish, (lic, pen, enf, fees) in PLAN:
        org = Organization.objects.filter(slug=slug).first()
        user = User.objects.filter(username=username).first()
        leader = User.objects.filter(username=leader_name).first()
        if org is None or user is None or leader is None:
            continue
        services.enter_figures(org, year, user, licensing=lic, penalty=pen, enforcement=enf, fees=fees)
        fee = services.fee_total_yuan(scope_ids(org), year)
        report = services.save_narrative(org, year, user, overview=_overview(org, year), problems=PROBLEMS,
                                         other=f"本年收取政府信息公开信息处理费{fee:.2f}元。无其他需要报告的事项。")
        services.finalize(report, leader)
        if publish:
            services.publish(report, leader)
            published += 1
        if slug == "jyj":
            services.save_narrative(org, year, user, other=report.other + "本机关未承办人大代表建议和政协提案中涉及政务公开的事项。")
            services.correct(report, leader, reason="补充“六、其他需要报告的事项”中人大代表建议和政协提案办理情况。")
            published += 1
    return published
