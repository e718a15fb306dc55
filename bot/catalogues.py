"""The compiled catalogue of every language the app offers, checked (and compiled) at start.

A built wheel carries compiled catalogues (`setup.py`); in a checkout a catalogue is compiled
here when its `.mo` is missing or older than its `.po`, so a Welsh page is never English in
disguise. A language the app offers with no catalogue at all, or one that cannot be written
where it must be, stops start-up with the file's name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.config import ConfigurationError

DOMAIN = "messages"


def catalogue_path(directory: str | Path, locale: str) -> Path:
    """The compiled catalogue of `locale` in the translations `directory`."""
    return Path(directory) / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _stale(compiled: Path, source: Path) -> bool:
    if not source.exists():
        return False
    return not compiled.exists() or compiled.stat().st_mtime_ns < source.stat().st_mtime_ns


def compile_catalogue(source: Path, compiled: Path) -> None:
    """Compile the `.po` at `source` to `compiled`, replacing it in one step."""
    from babel.messages.mofile import write_mo  # only when compiling: not at every start
    from babel.messages.pofile import read_po

    with source.open("rb") as po:
        catalogue = read_po(po, locale=source.parent.parent.name)
    with tempfile.NamedTemporaryFile(dir=compiled.parent, suffix=".tmp", delete=False) as mo:
        write_mo(mo, catalogue)
    os.chmod(mo.name, 0o644)  # a catalogue is no secret, whatever the umask
    os.replace(mo.name, compiled)


def ensure_compiled(directory: str | Path, locales: list[str]) -> None:
    """Make sure each locale has a compiled catalogue no older than its source, or refuse."""
    for locale in locales:
        compiled = catalogue_path(directory, locale)
        source = compiled.with_suffix(".po")
        if _stale(compiled, source):
            try:
                compile_catalogue(source, compiled)
            except OSError as error:
                raise ConfigurationError(
                    f"The {locale} catalogue {compiled} is missing or older than {source}, and "
                    f"cannot be compiled there ({error.strerror}): run `pybabel compile -d "
                    f"{directory}` as a user who may write it, or install the app from a wheel"
                ) from error
        if not compiled.exists():
            raise ConfigurationError(
                f"The app offers {locale} but its catalogue {compiled} is missing: install the "
                "app from a built wheel (it carries the compiled catalogues)"
            )
