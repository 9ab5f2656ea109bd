"""The catalog template (公开目录模板) a new organization starts from.

Fixed columns every org has (spec/publishing.md "Standard fixed columns"), then the
domain columns of 条例第20、21条 and the 基层政务公开标准目录 for counties and townships.
Each entry: (slug, name, update class, children).
"""

from .taxonomy import UpdateClass as U

STANDARD_COLUMNS: list[tuple[str, str, str, list]] = [
    ("jgzn", "机构职能", U.LONG, []),
    ("ldxx", "领导信息", U.LONG, []),
    ("zcwj", "政策文件", U.NOTICE, []),
    ("zcjd", "政策解读", U.NOTICE, []),
    ("czyjs", "财政预决算", U.NOTICE, []),
    ("tzgg", "通知公告", U.NOTICE, []),
    ("gzdt", "工作动态", U.NEWS, []),
    ("gkzn", "公开指南", U.STATIC, []),
    ("gknb", "公开年报", U.LONG, []),
    ("ysqgk", "依申请公开", U.STATIC, []),
]

# 第20条 items departments commonly carry as their own columns.
DEPARTMENT_COLUMNS: list[tuple[str, str, str, list]] = [
    ("ghjh", "规划计划", U.LONG, []),
    ("tjxx", "统计信息", U.NOTICE, []),
    ("xzxk", "行政许可和处罚", U.NOTICE, []),
]

# 第21条 and the 基层政务公开标准目录 domains, for county/district and township governments.
LOCAL_GOVERNMENT_COLUMNS: list[tuple[str, str, str, list]] = [
    ("jcgk", "基层政务公开", U.NOTICE, [
        ("zdjsxm", "重大建设项目", U.NOTICE, []),
        ("ggzyjy", "公共资源交易", U.NOTICE, []),
        ("aqsc", "安全生产", U.NOTICE, []),
        ("shjz", "社会救助", U.NOTICE, []),
        ("jy", "就业", U.NOTICE, []),
        ("shbx", "社会保险", U.NOTICE, []),
        ("ylfw", "养老服务", U.NOTICE, []),
        ("snbt", "涉农补贴", U.NOTICE, []),
        ("ywjy", "义务教育", U.NOTICE, []),
        ("wsjk", "卫生健康", U.NOTICE, []),
        ("tdzs", "土地征收", U.NOTICE, []),
        ("bzxzf", "保障性住房", U.NOTICE, []),
    ]),
]


def template_for(kind: str) -> list[tuple[str, str, str, list]]:
    if kind in ("city", "county", "district", "township", "street"):
        return STANDARD_COLUMNS + LOCAL_GOVERNMENT_COLUMNS
    return STANDARD_COLUMNS
