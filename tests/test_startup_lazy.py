"""A restart loads only what the first request needs, and still fails where it did when a
dependency is missing; a kept tree document builds the same tree the YAML does.

Whether a bad kept document is ignored does not depend on the tree, so those tests prove the
small test tree; the real one is proved where what is built from its document is compared.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import trees
from bot.tree.loader import DEFAULT_TREE, read_tree
from tests.live_server import SECRET
from tests.tree_support import MINI


@pytest.fixture
def fresh_process(monkeypatch):
    """Forget the trees this process proved, as a restarted worker would."""
    monkeypatch.setattr(trees, "_proved", {})


def start(tmp_path, before: str = "", after: str = "") -> subprocess.CompletedProcess:
    """Run `create_app()` in a new Python process on a database in tmp_path, with code before
    and after it."""
    config = {"DB": str(tmp_path / "audit.db"), "SECRET_KEY": SECRET}
    script = f"import sys\n{before}\nfrom bot import create_app\ncreate_app({config!r})\n{after}"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


def test_a_restart_with_an_unchanged_tree_imports_neither_yaml_nor_limits(tmp_path):
    assert start(tmp_path, "").returncode == 0  # the first start keeps the proof and document
    again = start(tmp_path, after="print(sorted({'yaml', 'limits'} & set(sys.modules)))")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ["yaml", "limits"])
def test_a_missing_dependency_still_stops_start_up(tmp_path, package):
    assert start(tmp_path, "").returncode == 0
    failed = start(tmp_path, before=f"sys.modules[{package!r}] = None")
    assert failed.returncode != 0
    assert f"No module named '{package}'" in failed.stderr


def test_the_tree_built_from_its_kept_document_is_the_tree_its_yaml_gives(
    tmp_path, fresh_process, monkeypatch
):
    proofs = tmp_path / "proofs"
    first = trees.load_proved_tree(DEFAULT_TREE, proofs)
    assert [kept.suffix for kept in sorted(proofs.iterdir())] == [".document", ".json"]
    monkeypatch.setattr(trees, "_proved", {})
    parsed = []
    monkeypatch.setattr(trees, "tree_document", lambda *args: parsed.append(args))
    again = trees.load_proved_tree(DEFAULT_TREE, proofs)
    assert parsed == []  # built from the kept document
    assert again == first
    assert again.questions == read_tree(DEFAULT_TREE).questions
    assert again.path_count == first.path_count > 0


def test_a_damaged_kept_document_is_ignored_and_the_yaml_parsed_again(
    tmp_path, fresh_process, monkeypatch
):
    proofs = tmp_path / "proofs"
    first = trees.load_proved_tree(MINI, proofs)
    (document,) = proofs.glob("*.document")
    document.write_bytes(b"\x00not marshal")
    monkeypatch.setattr(trees, "_proved", {})
    assert trees.load_proved_tree(MINI, proofs) == first
    assert document.read_bytes() != b"\x00not marshal"  # kept again, whole


def test_a_kept_document_that_reads_but_does_not_build_is_ignored(
    tmp_path, fresh_process, monkeypatch
):
    import marshal

    proofs = tmp_path / "proofs"
    first = trees.load_proved_tree(MINI, proofs)
    (document,) = proofs.glob("*.document")
    document.write_bytes(marshal.dumps((1, {}, {"tree": "not a mapping"})))
    monkeypatch.setattr(trees, "_proved", {})
    assert trees.load_proved_tree(MINI, proofs) == first
