"""依申请公开 as data: applicant types, channels, reply types, annual-report outcomes, time limits.

Sources: 《中华人民共和国政府信息公开条例》(国务院令第711号), cited as 条例第N条; the annual report
format 国办公开办函〔2021〕30号 (spec/annual-report.md, table 三); 国办函〔2020〕109号
《政府信息公开信息处理费管理办法》 (fees: see `fees.py`). A basis left blank ("") is one we could not
pin to an article with confidence: the row exists because the report format has it — see 条例.
Pure Python: no model imports, so services, forms, the API and the report generator share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

# --- time limits (working days; counting per spec/disclosure.md "The clock") --------------------

REPLY_DAYS = 20  # 条例第33条第二款: 不能当场答复的，自收到申请之日起20个工作日内予以答复
CORRECTION_NOTICE_DAYS = 7  # 条例第30条: 自收到申请之日起7个工作日内一次性告知申请人作出补正
THIRD_PARTY_DAYS = 15  # 条例第32条: 第三方自收到征求意见书之日起15个工作日内提出意见
OTHER_AGENCY_DAYS = 15  # 条例第34条: 被征求意见机关15个工作日内提出意见，逾期视为同意公开
# 条例第33条第二款: 延长答复期限须经政府信息公开工作机构负责人同意并告知申请人，最长不超过20个工作日
# (spec/disclosure.md reads it as one extension in total).
EXTENSION_MAX_DAYS = 20
# 国办函〔2020〕109号: 申请人自收到收费通知的次日起20个工作日内缴费，逾期视为放弃申请.
FEE_PAYMENT_DAYS = 20
# Setting defaults, not law (spec/disclosure.md "(choice)"):
DUE_SOON_DAYS = 5  # yellow warning when ≤ 5 working days remain
FEE_PAUSE_DEFAULT = True  # the time from fee notice to payment is not counted in the 20 days


# --- applicants (条例第29条; the columns of annual report table 三, in column order) ------------


class ApplicantType(TextChoices):
    NATURAL = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


ORGANIZATION_GROUP_LABEL = _("法人或其他组织")
ORGANIZATION_TYPES = tuple(t for t in ApplicantType.values if t != ApplicantType.NATURAL)


def is_organization(applicant_type: str) -> bool:
    """True for the five sub-columns of 法人或其他组织, False for 自然人."""
    if applicant_type not in ApplicantType.values:
        raise ValueError(_("未知的申请人类型：%(value)s") % {"value": applicant_type})
    return applicant_type in ORGANIZATION_TYPES


# --- channels and the receipt date, 条例第31条 -----------------------------------------------------


class Channel(TextChoices):
    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_MAIL = "registered_mail", _("邮寄（需签收）")
    ORDINARY_MAIL = "ordinary_mail", _("平常信函")
    ONLINE = "online", _("互联网（在线申请/电子邮件）")
    FAX = "fax", _("传真")


RECEIPT_RULE = {
    Channel.IN_PERSON: _("申请人当面提交申请的，以提交之日为收到申请之日（条例第31条第一项）。"),
    Channel.REGISTERED_MAIL: _("申请人以邮寄方式提交申请的，以行政机关签收之日为收到申请之日（条例第31条第二项）。"),
    Channel.ORDINARY_MAIL: _("以平常信函等无需签收的邮寄方式提交申请的，政府信息公开工作机构应当于收到申请的当日"
                             "与申请人确认，确认之日为收到申请之日（条例第31条第二项）。"),
    Channel.ONLINE: _("通过互联网渠道提交申请的，以双方确认之日为收到申请之日（条例第31条第三项）；"
                      "在线申请以系统向申请人出具回执之日为双方确认之日。"),
    Channel.FAX: _("通过政府信息公开工作机构的传真提交申请的，以双方确认之日为收到申请之日（条例第31条第三项）。"),
}


# --- outcomes: annual report table 三 "三、本年度办理结果" (国办公开办函〔2021〕30号) ------------------
# Labels are the statutory row text, verbatim from spec/annual-report.md and deliberately not
# translatable: the report must print them exactly. Comment = the legal basis where we know it.


class Outcome(TextChoices):
    DISCLOSED = "1", "予以公开"  # 条例第36条第一项、第二项
    PARTIAL = "2", "部分公开（区分处理的，只计这一情形，不计其他情形）"  # 条例第37条
    STATE_SECRET = "3.1", "属于国家秘密"  # 条例第14条
    LAW_PROHIBITS = "3.2", "其他法律行政法规禁止公开"  # 条例第14条
    SECURITY_STABILITY = "3.3", '危及"三安全一稳定"'  # 条例第14条
    THIRD_PARTY = "3.4", "保护第三方合法权益"  # 条例第15条
    INTERNAL_AFFAIRS = "3.5", "属于三类内部事务信息"  # 条例第16条第一款
    PROCESS_INFO = "3.6", "属于四类过程性信息"  # 条例第16条第二款
    ENFORCEMENT_FILE = "3.7", "属于行政执法案卷"  # 条例第16条第二款
    ADMIN_QUERY = "3.8", "属于行政查询事项"  # no article named in the 条例 — see 条例 (uncertain)
    NOT_HELD = "4.1", "本机关不掌握相关政府信息"  # 条例第36条第四项、第五项
    NEEDS_CREATION = "4.2", "没有现成信息需要另行制作"  # 条例第38条
    STILL_UNCLEAR = "4.3", "补正后申请内容仍不明确"  # 条例第30条
    PETITION = "5.1", "信访举报投诉类申请"  # 条例第39条
    REPEAT = "5.2", "重复申请"  # 条例第36条第六项
    PUBLICATION = "5.3", "要求提供公开出版物"  # 条例第39条
    EXCESSIVE = "5.4", "无正当理由大量反复申请"  # 条例第35条
    CONFIRM_OBTAINED = "5.5", "要求行政机关确认或重新出具已获取信息"  # no article named — see 条例
    NO_CORRECTION = "6.1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"  # 条例第30条
    FEE_UNPAID = "6.2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"  # 第42条; 109号
    OTHER = "6.3", "其他"  # e.g. withdrawn by the applicant (our decision, see PROCESS_CLOSURE_OUTCOME)


OUTCOMES: tuple[str, ...] = tuple(Outcome.values)  # table order

OUTCOME_GROUPS = {
    "1": "（一）予以公开",
    "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3": "（三）不予公开",
    "4": "（四）无法提供",
    "5": "（五）不予处理",
    "6": "（六）其他处理",
}


def is_valid_outcome(code: str) -> bool:
    return code in OUTCOMES


def _check_outcome(code: str) -> None:
    if not is_valid_outcome(code):
        raise ValueError(_("未知的办理结果代码：%(code)s") % {"code": code})


def outcome_label(code: str) -> str:
    """The table-三 row text of an outcome code, e.g. "3.1" → "属于国家秘密"."""
    _check_outcome(code)
    return str(Outcome(code).label)


def outcome_group(code: str) -> str:
    """The row group "1".."6" of an outcome code (its key in OUTCOME_GROUPS)."""
    _check_outcome(code)
    return code.split(".")[0]


# --- the eight reasons of 不予公开 (outcomes 3.1–3.8, printed on the 答复书) -----------------------


@dataclass(frozen=True)
class DenialReason:
    code: str
    basis: str  # the article; "" where we are not sure of one
    rule: str  # what the article says about it, shown to the handler

    @property
    def label(self) -> str:
        return outcome_label(self.code)


_ART14 = "依法确定为国家秘密的、法律行政法规禁止公开的、公开后可能危及国家安全、公共安全、经济安全、社会稳定的，不予公开"
_ART16 = "可以不予公开；法律、法规、规章规定上述信息应当公开的，从其规定"

DENIAL_REASONS: dict[str, DenialReason] = {
    r.code: r
    for r in (
        DenialReason("3.1", "条例第14条", _ART14),
        DenialReason("3.2", "条例第14条", _ART14),
        DenialReason("3.3", "条例第14条", _ART14),
        DenialReason("3.4", "条例第15条", "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的，不得公开；"
                     "第三方同意公开或者不公开会对公共利益造成重大影响的，予以公开"),
        DenialReason("3.5", "条例第16条第一款", "人事管理、后勤管理、内部工作流程等内部事务信息，" + _ART16),
        DenialReason("3.6", "条例第16条第二款", "讨论记录、过程稿、磋商信函、请示报告等过程性信息，" + _ART16),
        DenialReason("3.7", "条例第16条第二款", "行政执法案卷信息，" + _ART16),
        # Uncertain: the report format has the row, but we know no article of the 条例 that names
        # 行政查询事项; the handler must state the basis on the letter. See 条例.
        DenialReason("3.8", "", "属于行政查询事项的，告知申请人通过相应查询渠道办理（法律依据见条例及有关规定）"),
    )
}


# --- reply types, 条例第36条 (seven items) and 第37条 (partial disclosure) -------------------------
# 当场答复 (条例第33条第一款) is a way of replying, not a type, and is not listed.


class ReplyType(TextChoices):
    PUBLISHED = "published", _("已经主动公开")  # 条例第36条第一项
    DISCLOSE = "disclose", _("可以公开")  # 第36条第二项
    REFUSE = "refuse", _("不予公开")  # 第36条第三项
    NOT_EXIST = "not_exist", _("经检索没有所申请公开信息")  # 第36条第四项
    NOT_OURS = "not_ours", _("不属于本机关负责公开")  # 第36条第五项
    REPEAT = "repeat", _("重复申请")  # 第36条第六项
    SPECIAL_LAW = "special_law", _("工商、不动产登记资料等")  # 第36条第七项
    PARTIAL = "partial", _("部分公开")  # 第37条


# The outcomes a reply of each type may carry; the first is the form's default. Reasons:
REPLY_OUTCOMES: dict[str, tuple[str, ...]] = {
    # the answer tells how to get the published item: the applicant gets the information → 予以公开
    ReplyType.PUBLISHED: ("1",),
    # the information is provided (or the way and time to get it) → 予以公开
    ReplyType.DISCLOSE: ("1",),
    # row （三）: one of the eight reasons, which the reply must state (第36条第三项)
    ReplyType.REFUSE: tuple(DENIAL_REASONS),
    # information does not exist → 本机关不掌握; or exists only by processing/new work (第38条) → 4.2
    ReplyType.NOT_EXIST: ("4.1", "4.2"),
    # not this agency's to disclose: in practice counted as 无法提供·本机关不掌握相关政府信息
    ReplyType.NOT_OURS: ("4.1",),
    # 不予重复处理 (第36条第六项) → 不予处理·重复申请
    ReplyType.REPEAT: ("5.2",),
    # the reply redirects to the special procedure, it is no 第14–16条 refusal → 其他处理·其他;
    # where the agency counts the request as a 行政查询事项 (e.g. 不动产登记资料查询) it may use 3.8
    ReplyType.SPECIAL_LAW: ("6.3", "3.8"),
    # 区分处理的只计部分公开 (the row's own note)
    ReplyType.PARTIAL: ("2",),
}

# Closing paths other than a 第36条 reply, keyed like reply types in allowed_outcomes()/check_pair():
REFUSE_TO_HANDLE = "refuse_to_handle"  # the 不予处理告知书
BY_PROCESS = "process"  # closed by what happened, not by a decision on the request

# 不予处理告知书: 信访举报投诉 (第39条), 重复申请 (第36条第六项), 公开出版物 (第39条), 无正当理由大量反复
# 申请 (第35条), 要求确认或重新出具已获取信息 (report row; see 条例).
REFUSE_TO_HANDLE_OUTCOMES: tuple[str, ...] = ("5.1", "5.2", "5.3", "5.4", "5.5")

# Closures by process. Decision: a withdrawn application is closed as 6.3 其他; 4.3 (still unclear
# after correction, 第30条) is reached through the correction step, not a 第36条 reply.
PROCESS_CLOSURE_OUTCOME: dict[str, str] = {
    "still_unclear": "4.3",  # 补正后申请内容仍不明确 (第30条)
    "correction_overdue": "6.1",  # 无正当理由逾期不补正，视为放弃申请 (第30条)
    "fee_unpaid": "6.2",  # 逾期未缴费，视为放弃申请 (第42条; 国办函〔2020〕109号)
    "withdrawn": "6.3",  # 申请人撤回申请 (no article; our decision)
}
PROCESS_OUTCOMES: tuple[str, ...] = tuple(sorted(PROCESS_CLOSURE_OUTCOME.values(), key=OUTCOMES.index))

_PATHS: dict[str, tuple[str, ...]] = {
    **{str(k): v for k, v in REPLY_OUTCOMES.items()},
    REFUSE_TO_HANDLE: REFUSE_TO_HANDLE_OUTCOMES,
    BY_PROCESS: PROCESS_OUTCOMES,
}
_PATH_LABELS = {REFUSE_TO_HANDLE: _("不予处理告知书"), BY_PROCESS: _("程序性办结")}


def allowed_outcomes(reply_type: str) -> tuple[str, ...]:
    """The outcomes consistent with a reply type (or REFUSE_TO_HANDLE / BY_PROCESS), in table order
    except that the default comes first."""
    try:
        return _PATHS[reply_type]
    except KeyError:
        raise ValueError(_("未知的答复类型：%(value)s") % {"value": reply_type}) from None


def _path_label(reply_type: str) -> str:
    if reply_type in ReplyType.values:
        return str(ReplyType(reply_type).label)
    return str(_PATH_LABELS[reply_type])


def check_pair(reply_type: str, outcome: str) -> str | None:
    """None when the pair is consistent, else the Chinese message to show on the reply form."""
    if reply_type not in _PATHS:
        return _("未知的答复类型：%(value)s") % {"value": reply_type}
    if not is_valid_outcome(outcome):
        return _("未知的办理结果代码：%(code)s") % {"code": outcome}
    allowed = _PATHS[reply_type]
    if outcome in allowed:
        return None
    choices = "、".join(f"{c} {outcome_label(c)}" for c in allowed)
    return _("答复类型“%(reply)s”与办理结果“%(outcome)s %(label)s”不一致，可选：%(choices)s") % {
        "reply": _path_label(reply_type), "outcome": outcome, "label": outcome_label(outcome), "choices": choices}


# --- remedies told on a reply (答复书、不予处理告知书的救济途径) ---------------------------------------
# 《中华人民共和国行政复议法》(2023年9月1日修订，2024年1月1日施行), cited as 行政复议法第N条;
# 《中华人民共和国行政诉讼法》(2017年修正), cited as 行政诉讼法第N条.

# 行政复议法第20条第一款: 可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请 (calendar days).
RECONSIDERATION_DAYS = 60
RECONSIDERATION_DAYS_BASIS = "《中华人民共和国行政复议法》第二十条"
# 行政诉讼法第46条第一款: 直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出.
LITIGATION_MONTHS = 6
LITIGATION_MONTHS_BASIS = "《中华人民共和国行政诉讼法》第四十六条"


@dataclass(frozen=True)
class ReconsiderationRule:
    """Which body decides a reconsideration of an agency's act (行政复议机关), by the agency's place
    in the org tree. ``body`` describes the body when it cannot be named from the tree."""

    body: str
    basis: str
    rule: str


# Org kinds (orgs.OrgKind values) that are 人民政府 themselves, and the 派出机关 of a government.
GOVERNMENT_KINDS = ("city", "county", "district", "township")
AGENCY_OF_GOVERNMENT_KINDS = ("street",)  # 街道办事处: 县级人民政府、区人民政府的派出机关

RECONSIDERATION_RULES: dict[str, ReconsiderationRule] = {
    # a 工作部门 of a government (and an organisation it manages): 本级人民政府
    "department": ReconsiderationRule(
        "本级人民政府", "行政复议法第二十四条第一款第（一）项、第（四）项",
        "对本级人民政府工作部门作出的行政行为不服的，由本级人民政府管辖"),
    # a 派出机关 (街道办事处) of a government: the government that set it up
    "agency": ReconsiderationRule(
        "设立该派出机关的人民政府", "行政复议法第二十四条第一款第（三）项",
        "对本级人民政府依法设立的派出机关作出的行政行为不服的，由本级人民政府管辖"),
    # a local government: the government one level up
    "government": ReconsiderationRule(
        "上一级人民政府", "行政复议法第二十四条第一款第（二）项",
        "对下一级人民政府作出的行政行为不服的，由上一级地方人民政府管辖"),
    # 垂直领导的行政机关 (海关、金融、外汇管理 …), 税务 and 国家安全机关: the upper-level department
    "vertical": ReconsiderationRule(
        "上一级主管部门", "行政复议法第二十七条",
        "对海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关的行政行为不服的，向上一级主管部门申请行政复议"),
}


def reconsideration_rule(org_kind: str, *, vertically_managed: bool = False) -> ReconsiderationRule:
    """The rule naming the 行政复议机关 of an agency of ``org_kind`` (an orgs.OrgKind value)."""
    if vertically_managed:
        return RECONSIDERATION_RULES["vertical"]
    if org_kind in GOVERNMENT_KINDS:
        return RECONSIDERATION_RULES["government"]
    if org_kind in AGENCY_OF_GOVERNMENT_KINDS:
        return RECONSIDERATION_RULES["agency"]
    return RECONSIDERATION_RULES["department"]


def outcome_text(code: str) -> str:
    """An outcome as people read it: "（五）不予处理 · 重复申请"; just the group where the row repeats
    it ("（一）予以公开"). "" for no outcome."""
    if not code:
        return ""
    label, group = outcome_label(code), OUTCOME_GROUPS[outcome_group(code)]
    return group if group.endswith("）" + label) else f"{group} · {label}"


# What the handler's text (答复理由或获取途径) must say, per reply type; the reply is refused without it.
# 条例第36条第（二）项: 向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间 (files or text);
# 第（三）项: 告知申请人不予公开并说明理由; 第（五）项: 能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的
# 名称、联系方式; 第37条: 对不予公开的内容说明理由.
REPLY_TEXT_NEEDED: dict[str, str] = {
    ReplyType.DISCLOSE: _("答复“可以公开”须上传所提供的信息，或写明获取该信息的方式、途径和时间（条例第36条第（二）项）。"),
    ReplyType.PARTIAL: _("答复“部分公开”须写明不予公开部分的理由（条例第37条）。"),
    ReplyType.REFUSE: _("答复“不予公开”须说明理由（条例第36条第（三）项）。"),
    ReplyType.NOT_OURS: _("答复“不属于本机关负责公开”须写明理由；能确定负责公开的机关的，写明其名称和联系方式（条例第36条第（五）项）。"),
}
# The disclose reply is satisfied by attached files as well as by text.
REPLY_FILES_SUFFICE = (ReplyType.DISCLOSE,)
# The replies that deliver information, and so may carry files (答复附件): 可以公开 (条例第36条第（二）项)
# and 部分公开 (第37条). Any other reply with files attached is refused — a 不予公开 must not send the file.
REPLY_TYPES_WITH_FILES = (ReplyType.DISCLOSE, ReplyType.PARTIAL)
