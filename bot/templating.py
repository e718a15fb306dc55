"""Compiled templates kept on disk, so neither a restart nor a second app compiles them again.

Jinja compiles each template to Python the first time it is used, about 20 ms a template; a
fresh worker would pay that on its first pages, and each app the test suite builds would pay
it again. The bytecode is stored under the instance folder, keyed by template name and checked
against the source's checksum, so an edited template is compiled afresh. Where the folder
cannot be written, templates are compiled in memory as before.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache


def init_app(app: Flask) -> None:
    folder = Path(app.instance_path) / "template-code"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    if not os.access(folder, os.W_OK):
        return
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
