"""Where the app's own files are: the question tree, templates, static files, catalogues.

In a source checkout (and an editable install) `questions/`, `templates/`, `static/` and
`translations/` sit beside the `bot` package at the top of the repository; a built wheel carries
them inside the package (`setup.py` copies them in and compiles the catalogues), so an
installed app finds them wherever it runs from. Plain Python: the tree engine uses it too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE if (PACKAGE / "questions").is_dir() else PACKAGE.parent

QUESTIONS = ROOT / "questions"
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TRANSLATIONS = ROOT / "translations"
DEFAULT_TREE = QUESTIONS / "self-audit.yaml"
