"""Indexing speed including segmentation, as a ratio to the segmenter's own speed.

    .venv/bin/python bench/index_bench.py --var-dir /tmp/s5k-var
    .venv/bin/python bench/index_bench.py --database-url postgres://postgres@127.0.0.1:5432/yangguang_bench

1. Segmenter alone: the titles, meta lines (发文字号, 主题词, org name) and bodies of all public
   documents are read from the database in batches, and only the rjieba calls on them are
   timed (search mode, as the index uses), in one process.
2. Indexing: `search-reindex` over the same documents into a new Tantivy index directory (read,
   segment, add, one commit, switch), timed whole, once with one process and once with the
   default workers (segmentation in forked processes beside the writer).

Ratio = indexing documents/s ÷ segmenter documents/s. Target ≥ 70 %. JSON goes to
bench/out/index-<vendor>-<documents>.json (or --json). The index is rebuilt (to the same content)
and switched; the database is unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _setup(args) -> None:
    if args.database_url:
        os.environ["YANGGUANG_DATABASE_URL"] = args.database_url
    if args.var_dir:
        os.environ["YANGGUANG_VAR_DIR"] = args.var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    import django

    django.setup()


def segmenter_alone(batch_size: int) -> tuple[int, int, float]:
    """(documents, characters, seconds spent in rjieba) over all public documents."""
    import rjieba

    from yangguang.core.search.indexer import batches
    from yangguang.core.search.segment import normalize

    rjieba.cut_for_search("预热", False)
    docs = chars = 0
    seconds = 0.0
    for items in batches(batch_size):
        texts = []
        for it in items:
            body = it.body_text + ("\n" + it.attachment_text if it.attachment_text else "")
            meta = " ".join(x for x in (it.doc_number, it.keywords, it.org_name) if x)
            texts.extend((normalize(it.title), normalize(meta), normalize(body)))
        t = time.perf_counter()
        for text in texts:
            rjieba.cut_for_search(text, False)
        seconds += time.perf_counter() - t
        docs += len(items)
        chars += sum(len(x) for x in texts)
    return docs, chars, seconds


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url")
    p.add_argument("--var-dir")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    _setup(args)
    from django.db import connection

    from yangguang.core.search.reindex import default_workers, rebuild

    docs, chars, seg_s = segmenter_alone(args.batch_size)
    seg_rate = docs / seg_s
    runs = {}
    for workers in sorted({1, default_workers()}):
        # a full rebuild into a new index directory, as `search-reindex` does (segmentation included)
        r = rebuild(batch_size=args.batch_size, workers=workers)
        runs[workers] = {"documents": r.count, "seconds": round(r.seconds, 2), "docs_per_s": round(r.count / r.seconds, 1),
                         "ratio_to_segmenter": round(r.count / r.seconds / seg_rate, 3)}
    result = {
        "vendor": connection.vendor, "documents": docs, "characters": chars, "machine": platform.platform(),
        "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "segmenter": {"seconds": round(seg_s, 2), "docs_per_s": round(seg_rate, 1),
                      "chars_per_s": round(chars / seg_s)},
        "indexing": runs, "target_ratio": 0.70,
    }
    out = args.json or HERE / "out" / f"index-{connection.vendor}-{docs}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"index benchmark: {connection.vendor}, {docs:,} documents, {chars:,} characters")
    print(f"segmenter alone (rjieba, 1 process): {seg_rate:,.0f} documents/s, {chars / seg_s / 1e6:.2f} M chars/s")
    for workers, r in runs.items():
        print(f"indexing, {workers} process(es): {r['docs_per_s']:,.0f} documents/s "
              f"= {r['ratio_to_segmenter']:.0%} of the segmenter (target ≥ 70%)")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
