"""Benchmark data at the reference scale of DESIGN.md ("a city").

Writes, deterministically from --seed:
- bench/data/orgs.csv        for `yangguang import-orgs`: one city, ~12 counties/districts,
                             their departments and townships/streets (2,000 orgs by default);
- bench/data/documents.jsonl for `yangguang import-documents`: 1,000,000 published documents
                             by default, bodies assembled from the sentences of shared/seeds.

    .venv/bin/python bench/generate.py [--docs N] [--orgs N] [--seed S] [--out DIR]

Only column slugs that the catalog template creates for the org's kind are used, so the
files import cleanly into a fresh database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yangguang.core.screening import BLOCKING, screen_text  # noqa: E402
from yangguang.orgs.codes import make_credit_code  # noqa: E402
from yangguang.publishing.catalog_template import template_for  # noqa: E402
from yangguang.publishing.taxonomy import Genre, Topic  # noqa: E402

SEEDS_DIR = ROOT.parent / "shared" / "seeds"
CITY = "滇池"
COUNTIES = [
    ("五华", "district"), ("盘龙", "district"), ("官渡", "district"), ("西山", "district"),
    ("呈贡", "district"), ("晋宁", "district"), ("富民", "county"), ("宜良", "county"),
    ("石林", "county"), ("嵩明", "county"), ("禄劝", "county"), ("寻甸", "county"),
]
DEPARTMENTS = [
    "发展和改革局", "教育体育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "水务局", "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "林业和草原局", "城市管理局", "政务服务管理局", "信访局",
    "国有资产监督管理委员会", "机关事务管理局", "供销合作社", "残疾人联合会", "档案局", "地方志办公室",
    "投资促进局", "乡村振兴局", "民族宗教事务局", "人民防空办公室", "粮食和物资储备局", "气象局",
]
SUBUNITS = ["", "执法支队", "服务中心", "监测站", "管理所", "事务中心", "第一中学", "人民医院", "疾病预防控制中心"]
PLACE_CHARS = "安宝长城春东丰福阜广海和河红华金锦景凯康乐丽林龙明南宁平清庆瑞山胜顺松太泰天通旺文西祥新兴阳永玉裕跃云中"
TOWN_SUFFIX = ["镇", "乡", "街道"]
TOPIC_PHRASES = [
    "政务公开工作要点", "安全生产专项整治", "优化营商环境", "城乡居民医疗保险", "义务教育阶段招生", "农村危房改造",
    "高标准农田建设", "城镇老旧小区改造", "就业创业补贴", "最低生活保障", "防汛抗旱", "森林防火", "食品安全抽检",
    "公共资源交易", "重大建设项目", "政府采购", "行政许可事项", "双随机一公开监管", "河长制", "生态环境保护督察",
    "乡村振兴", "养老服务体系建设", "基层政务公开标准化规范化", "数字政府建设", "一网通办", "12345热线",
    "人才引进", "耕地保护", "土地征收", "保障性住房分配", "城市管理综合执法", "文明城市创建", "消防安全检查",
    "疫苗接种", "冬春季传染病防控", "道路交通安全", "电动自行车充电安全", "燃气安全排查", "秸秆禁烧",
]
GENRE_COLUMNS = {  # genre → column slugs of the standard template it usually lives in
    Genre.RULE: ["zcwj"], Genre.NORMATIVE: ["zcwj"], Genre.OTHER_DOC: ["zcwj", "tzgg"],
    Genre.INTERPRETATION: ["zcjd"], Genre.NEWS: ["gzdt"], Genre.NOTICE: ["tzgg"], Genre.PLAN: ["zcwj", "jgzn"],
    Genre.STATISTICS: ["tzgg", "gzdt"], Genre.FISCAL: ["czyjs"], Genre.PERSONNEL: ["ldxx", "tzgg"],
    Genre.OTHER: ["gknb", "gkzn", "ysqgk", "jgzn"],
}
_SPLIT = re.compile(r"(?<=[。！？])")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TRADITIONAL = re.compile(r"[們這個為時於劃計總結會發產開關達對應進實縣鎮點導與務學動報經區門]")
_DIGIT_RUN = re.compile(r"\d{6,}")


# --- organizations ---------------------------------------------------------------------


def plan_orgs(total: int, rng: random.Random) -> list[dict]:
    """One city, ~12 counties/districts, each with departments (and sub-units) and townships."""
    orgs: list[dict] = []

    def add(name, short, parent, kind, region):
        n = len(orgs)
        code = make_credit_code(f"11{region}{n:09d}")
        slug = {"city": "c", "county": "x", "district": "x", "department": "d"}.get(kind, "t") + f"{n:04d}"
        orgs.append({"code": code, "name": name, "short_name": short, "parent_code": parent["code"] if parent else "",
                     "kind": kind, "slug": slug})
        return orgs[-1]

    city = add(f"{CITY}市人民政府", f"{CITY}市", None, "city", "530100")
    counties = COUNTIES[: max(1, min(len(COUNTIES), total // 150))]
    city_depts = max(1, min(60, total // 30))
    towns_per_county = 12
    per_county = max(2, (total - 1 - city_depts) // len(counties))
    for i in range(city_depts):
        dept = DEPARTMENTS[i % len(DEPARTMENTS)] + SUBUNITS[i // len(DEPARTMENTS)]
        add(f"{CITY}市{dept}", dept, city, "department", "530100")
    for ci, (county, kind) in enumerate(counties):
        region = f"5301{ci + 2:02d}"
        label = "区" if kind == "district" else "县"
        gov = add(f"{CITY}市{county}{label}人民政府", f"{county}{label}", city, kind, region)
        towns = min(towns_per_county, per_county // 3)
        for j in range(per_county - 1 - towns):
            dept = DEPARTMENTS[j % len(DEPARTMENTS)] + SUBUNITS[(j // len(DEPARTMENTS)) % len(SUBUNITS)]
            if j >= len(DEPARTMENTS) * len(SUBUNITS):
                dept += f"第{j}分部"
            add(f"{county}{label}{dept}", dept, gov, "department", region)
        for j in range(towns):
            suffix = TOWN_SUFFIX[j % 3]
            place = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS) + suffix
            add(f"{county}{label}{place}", place, gov, "street" if suffix == "街道" else "township", region)
    while len(orgs) < total:  # top up with city-level sub-units
        i = len(orgs)
        add(f"{CITY}市{DEPARTMENTS[i % len(DEPARTMENTS)]}直属单位{i}", f"直属单位{i}", city, "department", "530100")
    return orgs[:total]


def columns_of(kind: str) -> list[tuple[str, str]]:
    out = []

    def walk(entries):
        for slug, name, _cls, children in entries:
            out.append((slug, name))
            walk(children)

    walk(template_for(kind))
    return out


# --- text ------------------------------------------------------------------------------


def load_sentences() -> list[str]:
    """Sentences of the seed documents that screening does not flag at all."""
    out: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for s in _SPLIT.split(line.strip()):
                s = s.strip()
                if not 12 <= len(s) <= 220 or not s.endswith(("。", "！", "？")):
                    continue
                if _LATIN.search(s) or _TRADITIONAL.search(s) or _DIGIT_RUN.search(s):
                    continue
                if screen_text(s):
                    continue
                out.append(s)
    return sorted(set(out))


def quoted_titles(sentences: list[str]) -> list[str]:
    names = {m for s in sentences for m in re.findall(r"《([^《》]{4,40})》", s)}
    return sorted(names) or TOPIC_PHRASES


def make_body(rng: random.Random, sentences: list[str]) -> str:
    target = rng.randint(300, 3000)
    html = rng.random() < 0.25
    paras, size = [], 0
    while size < target:
        para = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paras.append(para)
        size += len(para)
    if rng.random() < 0.01:  # a contact mobile number: a screening warning, allowed through
        paras.append(f"咨询电话：1{rng.choice('3589')}{rng.randrange(10**9):09d}。")
    if html:
        head = rng.choice(TOPIC_PHRASES)
        return f"<h3>一、{head}</h3>" + "".join(f"<p>{p}</p>" for p in paras)
    return "\n".join(paras)


def make_title(rng, genre, org, year, quoted) -> str:
    topic = rng.choice(TOPIC_PHRASES)
    short = org["short_name"] or org["name"]
    patterns = {
        Genre.RULE: [f"{short}{topic}管理办法"],
        Genre.NORMATIVE: [f"关于印发《{rng.choice(quoted)}》的通知", f"{short}关于进一步加强{topic}工作的意见"],
        Genre.OTHER_DOC: [f"{short}关于{topic}有关事项的通知", f"关于印发《{year}年{topic}实施方案》的通知"],
        Genre.INTERPRETATION: [f"《{short}{topic}实施方案》政策解读", f"图解：{year}年{topic}政策"],
        Genre.NEWS: [f"{short}{topic}工作动态", f"{short}召开{topic}推进会", f"{short}扎实推进{topic}工作"],
        Genre.NOTICE: [f"{short}关于开展{topic}的通知", f"关于{year}年{topic}的公示", f"{topic}公告"],
        Genre.PLAN: [f"{short}{year}年{topic}工作计划", f"{short}“十四五”{topic}规划"],
        Genre.STATISTICS: [f"{year}年{rng.randint(1, 12)}月{short}{topic}统计数据"],
        Genre.FISCAL: [f"{year}年{short}部门预算公开", f"{year - 1}年{short}部门决算公开", f"{year}年{short}“三公”经费预算"],
        Genre.PERSONNEL: [f"{short}{year}年公开招聘工作人员公告", f"{short}领导干部任前公示"],
        Genre.OTHER: [f"{short}{year - 1}年政府信息公开工作年度报告", f"{short}政府信息公开指南"],
    }
    return rng.choice(patterns[genre])


# --- documents -------------------------------------------------------------------------


def write_documents(path: Path, n: int, orgs: list[dict], rng: random.Random, sentences, quoted, today) -> dict:
    start = dt.date(2015, 1, 1).toordinal()
    end = today.toordinal()
    weights = [rng.paretovariate(1.5) for _ in orgs]
    topics, genres = list(Topic.values), list(Genre.values)
    topic_labels, genre_labels = dict(Topic.choices), dict(Genre.choices)
    cols = {kind: dict(columns_of(kind)) for kind in {o["kind"] for o in orgs}}
    local_extra = [s for s in cols.get("county", cols.get("district", {})) if s not in cols.get("department", {})]
    stats = {"topics": set(), "genres": set(), "blocking_in_sample": 0, "sampled": 0}
    picks = rng.choices(range(len(orgs)), weights=weights, k=n)
    t0, last = time.monotonic(), time.monotonic()
    with path.open("w", encoding="utf-8") as fh:
        for i, oi in enumerate(picks):
            org = orgs[oi]
            genre = genres[i % len(genres)] if i < len(genres) else rng.choice(genres)
            topic = topics[i % len(topics)] if i < len(topics) else rng.choice(topics)
            stats["topics"].add(topic)
            stats["genres"].add(genre)
            published = dt.date.fromordinal(rng.randint(start, end))
            slug = rng.choice(GENRE_COLUMNS[genre])
            if org["kind"] != "department" and rng.random() < 0.3:
                slug = rng.choice(local_extra)
            column = cols[org["kind"]][slug] if rng.random() < 0.2 else slug  # name or slug
            written = "" if rng.random() < 0.3 else published - dt.timedelta(days=rng.randint(0, 30))
            number = ""
            if genre in (Genre.RULE, Genre.NORMATIVE, Genre.OTHER_DOC, Genre.NOTICE):
                number = f"{org['short_name'][:2]}政办发〔{published.year}〕{rng.randint(1, 300)}号"
            rec = {
                "org_code": org["code"], "column": column,
                "title": make_title(rng, genre, org, published.year, quoted), "doc_number": number,
                "written_date": _fmt_date(written, rng), "published_date": _fmt_date(published, rng),
                "topic": topic_labels[topic] if rng.random() < 0.5 else topic,
                "genre": genre_labels[genre] if rng.random() < 0.5 else genre,
                "validity": "有效", "body": make_body(rng, sentences),
            }
            if genre == Genre.NORMATIVE and published.year < 2020 and rng.random() < 0.3:
                rec["validity"] = "失效"
                rec["validity_date"] = f"{published.year + 5}-01-01"
            if i % 1000 == 0:  # the sentences were screened one by one; check whole bodies too
                stats["sampled"] += 1
                text = rec["title"] + "\n" + rec["body"]
                stats["blocking_in_sample"] += sum(1 for f in screen_text(text) if f.severity == BLOCKING)
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")
            if time.monotonic() - last > 5:
                last = time.monotonic()
                rate = (i + 1) / (last - t0)
                print(f"已生成 {i + 1}/{n} 条，每秒 {rate:.0f} 条", file=sys.stderr)
    return stats


def _fmt_date(d, rng) -> str:
    if not d:
        return ""
    r = rng.random()
    if r < 0.8:
        return d.isoformat()
    if r < 0.9:
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    return f"{d.year}年{d.month}月{d.day}日"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=1_000_000)
    p.add_argument("--orgs", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    orgs = plan_orgs(args.orgs, rng)
    orgs_path = args.out / "orgs.csv"
    with orgs_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["code", "name", "short_name", "parent_code", "kind", "slug"])
        writer.writeheader()
        writer.writerows(orgs)
    n_columns = sum(len(columns_of(o["kind"])) for o in orgs)
    sentences = load_sentences()
    quoted = quoted_titles(sentences)
    # Today in the deployment's time zone would need Django settings; the local date of this
    # machine is close enough, and one day of margin keeps every date safely in the past.
    today = dt.date.today() - dt.timedelta(days=1)
    docs_path = args.out / "documents.jsonl"
    stats = write_documents(docs_path, args.docs, orgs, rng, sentences, quoted, today)
    secs = time.monotonic() - t0
    meta = {"docs": args.docs, "orgs": len(orgs), "columns": n_columns, "seed": args.seed,
            "documents_bytes": docs_path.stat().st_size, "seconds": round(secs, 1)}
    (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"机构 {len(orgs)} 个（栏目 {n_columns} 个）→ {orgs_path}（{orgs_path.stat().st_size / 1e6:.1f} MB）")
    print(f"文件 {args.docs} 条 → {docs_path}（{docs_path.stat().st_size / 1e9:.2f} GB）")
    print(f"种子句子 {len(sentences)} 句；主题分类 {len(stats['topics'])} 类，体裁 {len(stats['genres'])} 类；"
          f"抽查 {stats['sampled']} 条，阻断性审查发现 {stats['blocking_in_sample']} 处；用时 {secs:.0f} 秒")
    return 1 if stats["blocking_in_sample"] else 0


if __name__ == "__main__":
    sys.exit(main())
