"""Test files are imported by basename (pyproject: pythonpath = [".", "tests"], no packages), so two
test files with the same name in different folders stop the whole suite at collection. Checked here so
the message names both files instead of an "import file mismatch" halfway through `make test`."""

from collections import defaultdict
from pathlib import Path


def test_test_file_names_are_unique():
    seen = defaultdict(list)
    for path in Path(__file__).resolve().parent.rglob("test_*.py"):
        seen[path.name].append(str(path))
    assert not {name: paths for name, paths in seen.items() if len(paths) > 1}
