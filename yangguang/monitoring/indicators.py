"""检查指标 — the law as data (spec/monitoring.md; 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》).

`SEED` is what the data migration puts into the `Indicator` table; a deployment edits points,
thresholds and caps in the admin and adds its own rows (any registered measure). Scoring rules:
单项否决 — any one failed → 不合格 and nothing else is scored; 扣分 from 100; 加分 up to 20;
below 60 → 不合格.

Not seeded, because this system cannot measure them yet (no mailbox, no service items):
互动回应差 (unanswered consultation > 3 months), 服务不实用 (办事指南 elements), 留言答复 not updated
within 2 months (−3). They get rows when those modules exist — no placeholder rows meanwhile.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GUOBAN_2019_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
REGULATION_26 = "《中华人民共和国政府信息公开条例》第二十六条"
REGULATION_33 = "《中华人民共和国政府信息公开条例》第三十三条"
LOCAL_RULE = "地方考评细则（默认值，可在后台调整）"

BASE_SCORE = 100  # 扣分指标 total (国办秘函〔2019〕19号)
BONUS_CAP = 20  # 加分指标 at most 20 points (same)
PASS_MARK = 60  # below 60 → 不合格 (same)


class Level(models.TextChoices):
    VETO = "veto", _("单项否决")
    DEDUCT = "deduct", _("扣分")
    BONUS = "bonus", _("加分")


class Verdict(models.TextChoices):
    PASS = "合格", _("合格")
    FAIL = "不合格", _("不合格")


# (code, name, legal basis, level, measure, threshold, points, per_item, cap, params, description)
SEED: list[dict] = [
    dict(code="home_not_updated", name="首页不更新", legal_basis=f"{GUOBAN_2019_19} 单项否决", level=Level.VETO,
         measure="home_days", threshold=14, points=0,
         description="首页（本机构“动态/要闻”类栏目）连续2周（14天）无新发布信息即不合格；13天合格。"),
    dict(code="columns_not_updated", name="栏目不更新（动态/要闻、通知公告/政策文件栏目）",
         legal_basis=f"{GUOBAN_2019_19} 单项否决", level=Level.VETO, measure="stale_news_notice", threshold=5,
         points=0, description="“动态/要闻”栏目2周未更新、“通知公告/政策文件”一级栏目6个月未更新，合计5个以上即不合格。"),
    dict(code="columns_long_stale", name="栏目不更新（应更新但长期未更新栏目）",
         legal_basis=f"{GUOBAN_2019_19} 单项否决", level=Level.VETO, measure="stale_long", threshold=10, points=0,
         description="“长期”类栏目超过各自更新期限（默认1年）未更新，10个以上即不合格。"),
    dict(code="columns_empty", name="栏目不更新（空白栏目）", legal_basis=f"{GUOBAN_2019_19} 单项否决",
         level=Level.VETO, measure="empty_columns", threshold=5, points=0,
         description="没有任何已发布信息的栏目（空白栏目）5个以上即不合格。"),
    dict(code="security_leak", name="安全、泄密", legal_basis=f"{GUOBAN_2019_19} 单项否决", level=Level.VETO,
         measure="blocking_findings", threshold=1, points=0,
         description="以现行审查规则复扫已公开信息，发现密级标志、涉密字样、身份证号、银行卡号等阻断性内容即不合格。"),
    dict(code="policy_column_stale", name="政策文件栏目6个月未更新", legal_basis=f"{GUOBAN_2019_19}；{LOCAL_RULE}",
         level=Level.DEDUCT, measure="policy_column_stale", threshold=1, points=5,
         params={"column_slugs": ["zcwj"]}, description="“政策文件”栏目6个月未更新（或为空白），扣5分。"),
    dict(code="policy_without_interpretation", name="政策文件未解读", legal_basis=f"{GUOBAN_2019_19}；{LOCAL_RULE}",
         level=Level.DEDUCT, measure="policy_without_interpretation", threshold=1, points=1, per_item=True, cap=10,
         params={"window_days": 365},
         description="近一年公开的有效规章、行政规范性文件没有任何已公开的政策解读，每件扣1分，最多扣10分（谁起草、谁解读）。"),
    dict(code="late_publication", name="信息公开不及时", legal_basis=f"{REGULATION_26}；{LOCAL_RULE}",
         level=Level.DEDUCT, measure="late_publication", threshold=1, points=0.5, per_item=True, cap=10,
         params={"window_days": 365},
         description="近一年公开的信息，自形成或变更之日起超过20个工作日才公开的，每件扣0.5分，最多扣10分。"),
    dict(code="overdue_applications", name="依申请公开逾期未答复", legal_basis=f"{REGULATION_33}；{LOCAL_RULE}",
         level=Level.DEDUCT, measure="overdue_applications", threshold=1, points=1, per_item=True, cap=10,
         description="尚未办结且已超过法定答复期限的申请，每件扣1分，最多扣10分。"),
]


def points_for(level: str, value: float | None, threshold: float, points: float, per_item: bool,
               cap: float | None) -> tuple[bool, float]:
    """(passed, score change) of one measured value. Deductions are negative, bonuses positive;
    a veto changes no points (it decides the verdict). A value of None means there was nothing to
    measure from (e.g. a home page that never had an item): it fails, and earns no bonus."""
    if level == Level.BONUS:
        return True, (float(points) if value is not None and value >= threshold else 0.0)
    hit = value is None or value >= threshold
    if not hit:
        return True, 0.0
    if level == Level.VETO:
        return False, 0.0
    amount = float(points) * float(value) if per_item and value is not None else float(points)
    if cap is not None:
        amount = min(amount, float(cap))
    return False, -amount


def verdict(vetoed: bool, score: float) -> str:
    return Verdict.FAIL if vetoed or score < PASS_MARK else Verdict.PASS


def total_score(points: list[float]) -> float:
    """100 + deductions (negative) + bonuses (positive, at most BONUS_CAP in total)."""
    deductions = sum(p for p in points if p < 0)
    bonus = min(sum(p for p in points if p > 0), BONUS_CAP)
    return max(0.0, BASE_SCORE + deductions + bonus)
