"""公开指南: the text an org writes itself, or one generated from the org's own data
(name, address, office hours, phone, its 公开目录 columns) and the law (条例 articles cited
inline). Both are plain text with numbered headings, rendered by `blocks()`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from yangguang.disclosure.law import EXTENSION_MAX_DAYS, REPLY_DAYS
from yangguang.publishing.taxonomy import PUBLISH_WITHIN_WORKING_DAYS

GOVERNMENT_KINDS = {"city", "county", "district", "township", "street"}
H2 = re.compile(r"^[一二三四五六七八九十]+、")
H3 = re.compile(r"^（[一二三四五六七八九十]+）")


# A web address ends at whitespace or at Chinese / ASCII closing punctuation.
URL_STOP = r"\s（）()，。、；：“”<>\"'"
URL = re.compile(rf"https?://[^{URL_STOP}]+")


@dataclass(frozen=True)
class Block:
    kind: str  # "h2", "h3" or "p"
    text: str

    @property
    def html(self) -> str:
        """The text escaped, with web addresses as links (urlize needs spaces around them)."""
        out, pos = [], 0
        for m in URL.finditer(self.text):
            out.append(escape(self.text[pos:m.start()]))
            out.append(format_html('<a href="{}">{}</a>', m.group(0), m.group(0)))
            pos = m.end()
        out.append(escape(self.text[pos:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def blocks(text: str) -> list[Block]:
    """Headings are lines starting with 一、 / （一）; other lines are paragraphs."""
    out: list[Block] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if H2.match(line) and len(line) <= 40:
            out.append(Block("h2", line))
        elif H3.match(line) and len(line) <= 40:
            out.append(Block("h3", line))
        else:
            out.append(Block("p", line))
    return out


def default_text(org, column_names: list[str], absolute) -> str:
    """The generated guide. `absolute(path)` turns a site path into a full URL."""
    articles = "第十九条、第二十条、第二十一条" if org.kind in GOVERNMENT_KINDS else "第十九条、第二十条"
    catalog = absolute(reverse("portal:org", args=[org.slug]))
    apply = absolute(reverse("apply:apply")) + f"?org={org.slug}"
    track = absolute(reverse("apply:track"))
    columns = "、".join(column_names) if column_names else "（尚未设置）"
    unknown = "请以本机构公布的为准"
    return "\n".join([
        f"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        f"编制{org.name}政府信息公开指南。",
        "一、主动公开",
        "（一）公开范围",
        f"本机构依照《条例》{articles}的规定主动公开政府信息，按下列公开目录栏目编排：{columns}。",
        "（二）公开方式",
        f"主动公开的政府信息在本网站“{org.name}政府信息公开目录”发布（{catalog}），可按栏目浏览，也可通过站内检索查找。",
        "（三）公开时限",
        f"属于主动公开范围的政府信息，自该政府信息形成或者变更之日起{PUBLISH_WITHIN_WORKING_DAYS}个工作日内予以公开"
        "（《条例》第二十六条）。",
        "二、依申请公开",
        "（一）受理机构",
        f"受理机构：{org.name}",
        f"办公地址：{org.address or unknown}",
        f"办公时间：{org.office_hours or unknown}",
        f"联系电话：{org.phone or unknown}",
        "（二）提出申请",
        f"公民、法人或者其他组织可以在本网站在线提交政府信息公开申请（{apply}），也可以通过信函、当面提交等书面形式提出申请。"
        "申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的"
        "其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（《条例》第二十九条）。",
        "（三）答复期限",
        f"能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起{REPLY_DAYS}个工作日内予以答复；需要延长答复期限的，"
        f"经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过{EXTENSION_MAX_DAYS}个工作日。"
        "征求第三方和其他机关意见所需时间不计算在上述期限内（《条例》第三十三条）。",
        "（四）收费",
        "依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，可以收取信息处理费"
        "（《条例》第四十二条）。",
        "（五）查询办理进度",
        f"提交申请后，可凭查询码和联系方式在本网站查询办理进度（{track}）。",
        "三、监督和救济",
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开"
        "工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。",
    ])
