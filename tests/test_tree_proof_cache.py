"""The tree's proof is kept by the tree's digest, so a restart with the same tree skips it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import trees
from bot.tree.loader import DEFAULT_TREE, read_tree
from bot.tree.problems import TreeError
from tests.tree_support import MINI


@pytest.fixture
def fresh_process(monkeypatch):
    """Forget the trees this process proved, as a restarted worker would."""
    monkeypatch.setattr(trees, "_proved", {})


@pytest.fixture
def proofs_run(monkeypatch):
    runs = []
    real = trees.prove

    def counted(tree):
        runs.append(tree.digest)
        return real(tree)

    monkeypatch.setattr(trees, "prove", counted)
    return runs


@pytest.fixture
def tree_copy(tmp_path):
    """A copy of the real tree, to restart the app on."""
    path = tmp_path / "tree.yaml"
    path.write_bytes(DEFAULT_TREE.read_bytes())
    return path


@pytest.fixture
def small_tree_copy(tmp_path):
    """A copy of the small test tree: what is kept, and when, does not depend on a tree's size,
    and its proof takes milliseconds where the real tree's takes a second or two."""
    path = tmp_path / "small-tree.yaml"
    path.write_bytes(MINI.read_bytes())
    return path


def test_a_restart_with_an_unchanged_tree_does_not_prove_it_again(
    tmp_path, tree_copy, fresh_process, proofs_run, monkeypatch
):
    first = trees.load_proved_tree(tree_copy, tmp_path / "proofs")
    assert len(proofs_run) == 1 and first.path_count > 0
    monkeypatch.setattr(trees, "_proved", {})
    again = trees.load_proved_tree(tree_copy, tmp_path / "proofs")
    assert len(proofs_run) == 1
    assert again == first and again.path_count == first.path_count


def test_a_changed_tree_is_proved_again(tmp_path, small_tree_copy, fresh_process, proofs_run):
    trees.load_proved_tree(small_tree_copy, tmp_path / "proofs")
    small_tree_copy.write_text(
        small_tree_copy.read_text(encoding="utf-8") + "\n# edited\n", "utf-8"
    )
    trees.load_proved_tree(small_tree_copy, tmp_path / "proofs")
    assert len(proofs_run) == 2 and proofs_run[0] != proofs_run[1]


def test_a_damaged_kept_proof_is_ignored_and_proved_again(
    tmp_path, small_tree_copy, fresh_process, proofs_run, monkeypatch
):
    trees.load_proved_tree(small_tree_copy, tmp_path / "proofs")
    for kept in (tmp_path / "proofs").iterdir():
        kept.write_text('{"paths": "many"')
    monkeypatch.setattr(trees, "_proved", {})
    trees.load_proved_tree(small_tree_copy, tmp_path / "proofs")
    assert len(proofs_run) == 2


def test_a_tree_that_fails_its_proof_is_never_kept(tmp_path, fresh_process, proofs_run):
    broken = tmp_path / "broken.yaml"
    text = MINI.read_text(encoding="utf-8")
    # The proof, not the static checks, finds that no path reaches staff_wte.
    broken.write_text(
        text.replace(
            '      - when: "staff_count == 0"\n        goto: ages', "      - goto: staff_hours"
        ),
        "utf-8",
    )
    read_tree(broken)  # the static checks pass
    for _ in range(2):
        with pytest.raises(TreeError, match="no path reaches this question"):
            trees.load_proved_tree(broken, tmp_path / "proofs")
    assert len(proofs_run) == 2
    assert not list((tmp_path / "proofs").glob("*"))


def test_the_app_keeps_its_proof_in_the_instance_folder(app):
    kept = list(trees.kept_proofs(app.instance_path).glob("*.json"))
    assert kept, "the proof of the app's tree is kept"


def test_starting_the_app_leaves_python_docx_for_the_first_download(tmp_path):
    script = (
        "import sys; from bot import create_app; "
        f"create_app({{'TESTING': True, 'DB': {str(tmp_path / 'a.db')!r}}}); "
        "print('docx' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"
