"""重点领域 (key areas) as data: which published items a bulletin counts as 重点领域信息.

The seed bulletin (seeds/002, 3月份通报) counts "重点领域信息", "财政资金信息" and "行政执法和权力运行信息"
separately from the total. There is no single national list of 重点领域; this deployment uses:

- the columns of the 基层政务公开标准目录 domains — 《国务院办公厅关于全面推进基层政务公开标准化
  规范化工作的指导意见》(国办发〔2019〕54号) and the 26 领域 standard catalogues, as carried by the
  catalog template (`publishing/catalog_template.py`, children of 基层政务公开 "jcgk");
- 财政预决算 (条例第20条第（七）项) and 行政许可和处罚 (条例第20条第（五）、（六）项) columns;
- by 体裁, 财政信息 (条例第20条第（七）项: 财政预算、决算), wherever it is filed.
"""

from django.db.models import Q

from yangguang.publishing.taxonomy import Genre

# Parent column whose children are the 基层政务公开标准目录 domains (catalog_template.LOCAL_GOVERNMENT_COLUMNS).
STANDARD_CATALOG_PARENT = "jcgk"
KEY_AREA_COLUMNS = frozenset({
    "czyjs",  # 财政预决算 — 条例第20条第（七）项
    "xzxk",  # 行政许可和处罚 — 条例第20条第（五）、（六）项
    # 国办发〔2019〕54号 基层政务公开标准目录 domains:
    "zdjsxm", "ggzyjy", "aqsc", "shjz", "jy", "shbx", "ylfw", "snbt", "ywjy", "wsjk", "tdzs", "bzxzf",
})
KEY_AREA_GENRES = frozenset({Genre.FISCAL})  # 条例第20条第（七）项


def key_area_q(document: str = "") -> Q:
    """Q selecting 重点领域 documents; `document` is the path to the Document ("" or "document__")."""
    p = document
    return (Q(**{f"{p}column__slug__in": sorted(KEY_AREA_COLUMNS)})
            | Q(**{f"{p}column__parent__slug": STANDARD_CATALOG_PARENT})
            | Q(**{f"{p}live_edition__genre__in": sorted(KEY_AREA_GENRES)}))
