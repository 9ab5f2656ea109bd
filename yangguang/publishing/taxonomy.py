"""Controlled vocabularies of the document metadata (spec/publishing.md)."""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """国务院公文主题分类, the 22 top-level categories."""

    STATE_COUNCIL_ORG = "01", "国务院组织机构"
    GENERAL = "02", "综合政务"
    ECONOMY = "03", "国民经济管理、国有资产监管"
    FINANCE = "04", "财政、金融、审计"
    LAND_ENERGY = "05", "国土资源、能源"
    AGRICULTURE = "06", "农业、林业、水利"
    INDUSTRY_TRANSPORT = "07", "工业、交通"
    COMMERCE = "08", "商贸、海关、旅游"
    MARKET = "09", "市场监管、安全生产监管"
    CONSTRUCTION = "10", "城乡建设、环境保护"
    SCIENCE_EDUCATION = "11", "科技、教育"
    CULTURE = "12", "文化、广电、新闻出版"
    HEALTH = "13", "卫生、体育"
    POPULATION = "14", "人口与计划生育、妇女儿童工作"
    LABOUR = "15", "劳动、人事、监察"
    SECURITY_JUSTICE = "16", "公安、安全、司法"
    CIVIL_AFFAIRS = "17", "民政、扶贫、救灾"
    ETHNIC_RELIGION = "18", "民族、宗教"
    FOREIGN = "19", "对外事务"
    HMT = "20", "港澳台侨工作"
    DEFENCE = "21", "国防"
    OTHER = "22", "其他"


class Genre(models.TextChoices):
    """体裁分类. 规章 and 行政规范性文件 feed table 二 of the annual report."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER_DOC = "other_doc", "其他文件"
    INTERPRETATION = "interpretation", "政策解读"
    NEWS = "news", "工作动态"
    NOTICE = "notice", "通知公告"
    PLAN = "plan", "规划计划"
    STATISTICS = "statistics", "统计信息"
    FISCAL = "fiscal", "财政信息"
    PERSONNEL = "personnel", "人事信息"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    ABOLISHED = "abolished", _("废止")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频")
    ANIMATION = "animation", _("动漫")
    LEADER = "leader", _("负责人解读")
    EXPERT = "expert", _("专家解读")
    PRESS = "press", _("新闻发布会")


class UpdateClass(models.TextChoices):
    """Column update classes of 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》."""

    NEWS = "news", _("动态/要闻")
    NOTICE = "notice", _("通知公告/政策文件")
    LONG = "long", _("长期")
    STATIC = "static", _("静态")


# Days without a new item after which a column of the class is stale (spec/publishing.md,
# 国办秘函〔2019〕19号): 动态 2 weeks; 通知公告/政策文件 6 months; 长期 default 1 year,
# overridable per column; 静态 never stale (only "empty" applies).
STALE_AFTER_DAYS = {
    UpdateClass.NEWS: 14,
    UpdateClass.NOTICE: 183,
    UpdateClass.LONG: 365,
    UpdateClass.STATIC: None,
}

# 条例第26条: publish within 20 working days of the information being created or changed.
PUBLISH_WITHIN_WORKING_DAYS = 20


@functools.cache
def _codes(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """Code and label (in `language`; None: the Chinese source text) of each choice -> its code."""
    with translation.override(language):
        return {str(label): code for code, label in choices.choices} | {code: code for code in choices.values}


def lookup(choices: type[models.TextChoices], value: str) -> str | None:
    """Accept a code or its Chinese label (imports use either; also the label in the active
    language); None when unknown."""
    value = (value or "").strip()
    return _codes(choices, None).get(value) or _codes(choices, translation.get_language()).get(value)
