"""The package layout keeps its promises: the pure packages load without Flask or a database."""

import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

WEB = {"flask", "flask_babel", "flask_wtf", "babel", "werkzeug", "jinja2", "wtforms"}
PURE = [
    # the question tree: no Flask, no database, no python-docx
    ("bot.tree.engine", WEB | {"sqlite3", "sqlite_utils", "docx"}),
    ("bot.tree.check", WEB | {"sqlite3", "sqlite_utils", "docx"}),
    ("bot.tree.assessment", WEB | {"sqlite3", "sqlite_utils", "docx"}),
    ("bot.tree.movement", WEB | {"sqlite3", "sqlite_utils", "docx"}),
    # the Word writer: no Flask and no gettext (the plan dict arrives translated)
    ("bot.plan.document", WEB | {"gettext", "sqlite_utils"}),
    # the national picture's counts: plain Python over standings
    ("bot.console.national", WEB | {"sqlite3", "sqlite_utils", "docx"}),
]


@pytest.mark.parametrize(("module", "forbidden"), PURE, ids=[module for module, _ in PURE])
def test_pure_module_loads_nothing_of_the_web_or_the_database(module, forbidden):
    script = (
        "import sys\n"
        f"import {module}\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    loaded = set(result.stdout.split())
    assert module.split(".")[0] in loaded
    assert loaded.isdisjoint(forbidden), sorted(loaded & forbidden)


#: What each package must never import: the pure tree sits at the bottom, the store on it; the
#: plan is written from an audit's state (bot.audit.state, presenters) and is sent by the team's
#: pages and the console; the console sits on the team's pages (it shows their answers).
NEVER_IMPORTS = {
    "bot.tree": ["bot.store", "bot.audit", "bot.plan", "bot.console"],
    "bot.store": ["bot.audit", "bot.plan", "bot.console"],
    "bot.plan": ["bot.audit.views", "bot.console"],
    "bot.audit": ["bot.console"],
}


def _imports(path):
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("package", list(NEVER_IMPORTS))
def test_no_package_imports_one_above_it(package):
    above = NEVER_IMPORTS[package]
    found = [
        f"{path.name} imports {name}"
        for path in sorted((PROJECT_ROOT / package.replace(".", "/")).glob("*.py"))
        for name in _imports(path)
        if any(name == upper or name.startswith(upper + ".") for upper in above)
    ]
    assert found == []
