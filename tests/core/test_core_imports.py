"""Core imports no app (issue #16): the apps register what core runs for them (core/registry.py)."""

import ast
from pathlib import Path

from django.utils.module_loading import import_string

import yangguang
from yangguang.core import registry

APPS = ("publishing", "disclosure", "portal", "monitoring", "supervision", "reports", "api", "orgs")
CORE = Path(yangguang.__file__).parent / "core"
# Not even the permission module: core asks its questions by name through core/registry.py.
ALLOWED = ()


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "import_string") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def test_no_module_of_core_imports_an_app():
    offending = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = sorted(m for m in _imported_modules(path) if not (ALLOWED and m.startswith(ALLOWED)) and m.split(".")[:2] in (["yangguang", a] for a in APPS))
        if bad:
            offending[str(path.relative_to(CORE))] = bad
    assert offending == {}


def test_the_apps_registered_the_clock_rounds_and_the_search_source():
    # Every registered path is an enqueueable task; each app that has a periodic task registered it.
    for path in registry.EVERY_MINUTE + registry.DAILY:
        assert hasattr(import_string(path), "enqueue"), path
    apps_with_rounds = {p.split(".")[1] for p in registry.EVERY_MINUTE + registry.DAILY}
    assert {"core", "publishing", "disclosure", "supervision", "monitoring"} <= apps_with_rounds
    source = registry.search_source()
    assert {"Topic", "Genre", "Validity"} <= set(vars(source.taxonomy))
    assert source.public_documents().model._meta.label == "publishing.Document"


def test_the_clock_command_reads_the_registry():
    from yangguang.core.management.commands import clock

    assert clock.EVERY_MINUTE is registry.EVERY_MINUTE and clock.DAILY is registry.DAILY
