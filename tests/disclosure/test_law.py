"""依申请公开 law as data (yangguang/disclosure/law.py) against spec/disclosure.md and
spec/annual-report.md table 三. Pure Python, no database."""

from __future__ import annotations

import pytest

from yangguang.disclosure import law
from yangguang.disclosure.law import ApplicantType, Channel, Outcome, ReplyType

# Copied by hand from spec/annual-report.md, table 三 "三、本年度办理结果", in row order.
SPEC_OUTCOMES = [
    ("1", "予以公开"),
    ("2", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.1", "属于国家秘密"),
    ("3.2", "其他法律行政法规禁止公开"),
    ("3.3", '危及"三安全一稳定"'),
    ("3.4", "保护第三方合法权益"),
    ("3.5", "属于三类内部事务信息"),
    ("3.6", "属于四类过程性信息"),
    ("3.7", "属于行政执法案卷"),
    ("3.8", "属于行政查询事项"),
    ("4.1", "本机关不掌握相关政府信息"),
    ("4.2", "没有现成信息需要另行制作"),
    ("4.3", "补正后申请内容仍不明确"),
    ("5.1", "信访举报投诉类申请"),
    ("5.2", "重复申请"),
    ("5.3", "要求提供公开出版物"),
    ("5.4", "无正当理由大量反复申请"),
    ("5.5", "要求行政机关确认或重新出具已获取信息"),
    ("6.1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("6.2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("6.3", "其他"),
]
SPEC_GROUPS = {
    "1": "（一）予以公开",
    "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3": "（三）不予公开",
    "4": "（四）无法提供",
    "5": "（五）不予处理",
    "6": "（六）其他处理",
}


# --- outcomes ------------------------------------------------------------------------------------


def test_outcomes_in_spec_order_with_exact_labels():
    assert law.OUTCOMES == tuple(code for code, _ in SPEC_OUTCOMES)
    assert [(c, law.outcome_label(c)) for c in law.OUTCOMES] == SPEC_OUTCOMES
    assert Outcome.choices == SPEC_OUTCOMES


def test_outcome_groups():
    assert law.OUTCOME_GROUPS == SPEC_GROUPS
    assert list(law.OUTCOME_GROUPS) == ["1", "2", "3", "4", "5", "6"]
    expected = {"1": "1", "2": "2", "3.1": "3", "3.8": "3", "4.3": "4", "5.5": "5", "6.1": "6"}
    for code, group in expected.items():
        assert law.outcome_group(code) == group
    assert {law.outcome_group(c) for c in law.OUTCOMES} == set(SPEC_GROUPS)
    # the sub-row counts of the report: 8 不予公开, 3 无法提供, 5 不予处理, 3 其他处理
    counts = {g: sum(law.outcome_group(c) == g for c in law.OUTCOMES) for g in SPEC_GROUPS}
    assert counts == {"1": 1, "2": 1, "3": 8, "4": 3, "5": 5, "6": 3}


@pytest.mark.parametrize("bad", ["", "0", "3", "3.9", "4.4", "5.6", "6.4", "7", "1.0", " 1", None])
def test_invalid_outcome_codes(bad):
    assert not law.is_valid_outcome(bad)
    with pytest.raises(ValueError, match="未知的办理结果代码"):
        law.outcome_label(bad)
    with pytest.raises(ValueError, match="未知的办理结果代码"):
        law.outcome_group(bad)


def test_every_outcome_is_valid():
    assert all(law.is_valid_outcome(c) for c in law.OUTCOMES)


# --- applicant types and channels ----------------------------------------------------------------


def test_applicant_types_are_the_report_columns_in_order():
    assert ApplicantType.values == ["natural", "business", "research", "nonprofit", "legal", "other"]
    assert [str(label) for label in ApplicantType.labels] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert not law.is_organization("natural")
    assert all(law.is_organization(t) for t in ("business", "research", "nonprofit", "legal", "other"))
    assert law.ORGANIZATION_TYPES == ("business", "research", "nonprofit", "legal", "other")
    with pytest.raises(ValueError, match="未知的申请人类型"):
        law.is_organization("alien")


def test_channels_each_have_a_receipt_rule_citing_article_31():
    assert Channel.values == ["in_person", "registered_mail", "ordinary_mail", "online", "fax"]
    assert set(law.RECEIPT_RULE) == set(Channel.values)
    for channel in Channel.values:
        rule = str(law.RECEIPT_RULE[channel])
        assert "条例第31条" in rule and "收到申请之日" in rule
    assert "提交之日" in str(law.RECEIPT_RULE["in_person"])
    assert "签收之日" in str(law.RECEIPT_RULE["registered_mail"])
    assert "确认之日" in str(law.RECEIPT_RULE["ordinary_mail"])
    assert "双方确认之日" in str(law.RECEIPT_RULE["online"])
    assert "双方确认之日" in str(law.RECEIPT_RULE["fax"])


def test_clock_constants():
    assert (law.REPLY_DAYS, law.CORRECTION_NOTICE_DAYS, law.THIRD_PARTY_DAYS) == (20, 7, 15)
    assert (law.EXTENSION_MAX_DAYS, law.FEE_PAYMENT_DAYS, law.OTHER_AGENCY_DAYS) == (20, 20, 15)
    assert law.DUE_SOON_DAYS == 5 and law.FEE_PAUSE_DEFAULT is True


# --- reply types and their outcomes --------------------------------------------------------------


def test_reply_types():
    assert ReplyType.values == [
        "published", "disclose", "refuse", "not_exist", "not_ours", "repeat", "special_law", "partial"]
    assert "on_the_spot" not in ReplyType.values  # 当场答复 is a way of replying, not a type


@pytest.mark.parametrize("reply_type", ReplyType.values)
def test_every_reply_type_has_valid_allowed_outcomes(reply_type):
    allowed = law.allowed_outcomes(reply_type)
    assert allowed and all(law.is_valid_outcome(c) for c in allowed)
    assert len(set(allowed)) == len(allowed)
    assert law.REPLY_OUTCOMES[reply_type] == allowed
    for code in allowed:
        assert law.check_pair(reply_type, code) is None


def test_reply_outcome_table():
    assert law.REPLY_OUTCOMES == {
        "published": ("1",),
        "disclose": ("1",),
        "refuse": ("3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"),
        "not_exist": ("4.1", "4.2"),
        "not_ours": ("4.1",),
        "repeat": ("5.2",),
        "special_law": ("6.3", "3.8"),
        "partial": ("2",),
    }
    assert law.REFUSE_TO_HANDLE_OUTCOMES == ("5.1", "5.2", "5.3", "5.4", "5.5")
    assert law.PROCESS_OUTCOMES == ("4.3", "6.1", "6.2", "6.3")
    assert law.PROCESS_CLOSURE_OUTCOME["withdrawn"] == "6.3"
    assert law.allowed_outcomes(law.REFUSE_TO_HANDLE) == law.REFUSE_TO_HANDLE_OUTCOMES
    assert law.allowed_outcomes(law.BY_PROCESS) == law.PROCESS_OUTCOMES


def test_every_outcome_is_reachable():
    reachable = set(law.REFUSE_TO_HANDLE_OUTCOMES) | set(law.PROCESS_OUTCOMES)
    for reply_type in ReplyType.values:
        reachable |= set(law.allowed_outcomes(reply_type))
    assert reachable == set(law.OUTCOMES)


@pytest.mark.parametrize("reply_type, outcome", [
    ("published", "3.1"), ("published", "2"), ("disclose", "4.1"), ("refuse", "1"), ("refuse", "4.1"),
    ("partial", "1"), ("not_exist", "5.2"), ("not_ours", "3.4"), ("repeat", "1"), ("special_law", "1"),
    (law.REFUSE_TO_HANDLE, "1"), (law.BY_PROCESS, "5.2"),
])
def test_check_pair_rejects_inconsistent_pairs(reply_type, outcome):
    message = law.check_pair(reply_type, outcome)
    assert message is not None and "不一致" in message
    assert law.outcome_label(outcome) in message


def test_check_pair_message_lists_the_choices():
    message = law.check_pair("published", "3.1")
    assert message == "答复类型“已经主动公开”与办理结果“3.1 属于国家秘密”不一致，可选：1 予以公开"


def test_check_pair_unknown_inputs():
    assert "未知的答复类型" in law.check_pair("on_the_spot", "1")
    assert "未知的办理结果代码" in law.check_pair("published", "9")
    with pytest.raises(ValueError, match="未知的答复类型"):
        law.allowed_outcomes("nonsense")


def test_check_pair_matrix_agrees_with_allowed_outcomes():
    for path in [*ReplyType.values, law.REFUSE_TO_HANDLE, law.BY_PROCESS]:
        for code in law.OUTCOMES:
            ok = law.check_pair(path, code) is None
            assert ok == (code in law.allowed_outcomes(path)), (path, code)


# --- reasons for 不予公开 --------------------------------------------------------------------------


def test_denial_reasons_are_the_eight_sub_rows_with_bases():
    assert list(law.DENIAL_REASONS) == [f"3.{i}" for i in range(1, 9)]
    bases = {code: r.basis for code, r in law.DENIAL_REASONS.items()}
    assert bases == {
        "3.1": "条例第14条", "3.2": "条例第14条", "3.3": "条例第14条", "3.4": "条例第15条",
        "3.5": "条例第16条第一款", "3.6": "条例第16条第二款", "3.7": "条例第16条第二款",
        "3.8": "",  # no article we are sure of: left blank rather than guessed
    }
    for code, reason in law.DENIAL_REASONS.items():
        assert reason.label == law.outcome_label(code) and reason.rule
