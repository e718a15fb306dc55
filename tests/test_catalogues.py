"""Welsh is never English in disguise: the catalogue is compiled at start, or start-up stops."""

from __future__ import annotations

import os
import shutil

import pytest
from babel.support import Translations

from bot import ConfigurationError, resources
from bot.catalogues import catalogue_path, ensure_compiled

WELSH_PO = resources.TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def translations(tmp_path):
    """A translations folder holding the real Welsh source and no compiled catalogue."""
    folder = tmp_path / "translations"
    (folder / "cy" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(WELSH_PO, folder / "cy" / "LC_MESSAGES" / "messages.po")
    return folder


def welsh(folder) -> Translations:
    return Translations.load(str(folder), ["cy"])


def test_a_missing_catalogue_is_compiled_at_start(translations):
    ensure_compiled(translations, ["cy"])
    assert welsh(translations).gettext("Continue") == "Parhau"


def test_a_catalogue_older_than_its_source_is_compiled_again(translations):
    compiled = catalogue_path(translations, "cy")
    compiled.write_bytes(b"not a catalogue")
    source = compiled.with_suffix(".po")
    os.utime(compiled, ns=(source.stat().st_mtime_ns - 10**9,) * 2)
    ensure_compiled(translations, ["cy"])
    assert welsh(translations).gettext("Continue") == "Parhau"


def test_a_compiled_catalogue_without_its_source_is_used_as_it_is(translations):
    """A wheel carries the compiled catalogue alone."""
    ensure_compiled(translations, ["cy"])
    catalogue_path(translations, "cy").with_suffix(".po").unlink()
    ensure_compiled(translations, ["cy"])
    assert welsh(translations).gettext("Continue") == "Parhau"


def test_an_offered_language_without_a_catalogue_stops_start_up_naming_the_file(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        ensure_compiled(tmp_path, ["cy"])
    assert str(tmp_path / "cy" / "LC_MESSAGES" / "messages.mo") in str(refused.value)


def test_a_stale_catalogue_that_cannot_be_replaced_stops_start_up_naming_the_file(translations):
    compiled = catalogue_path(translations, "cy")
    compiled.mkdir()  # something in the way that even root cannot replace with a file
    source = compiled.with_suffix(".po")
    os.utime(compiled, ns=(source.stat().st_mtime_ns - 10**9,) * 2)
    with pytest.raises(ConfigurationError, match="messages.mo is missing or older than"):
        ensure_compiled(translations, ["cy"])
