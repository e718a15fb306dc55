"""Binds the question tree to the app: loaded and proved once per file content.

Every tree the app starts with is also stored in the database by its content hash, so an audit
stays pinned to the version it was answered on: a finished audit is always shown and scored as
it was, and an audit in progress moves to a newer version on its next visit, never to an older
one (during a rolling deploy two app versions serve the same database).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import marshal
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, current_app

from bot import store
from bot.tree.check import prove
from bot.tree.loader import (
    build_tree,
    document_data,
    document_from_data,
    load_tree,
    parse_tree,
    read_tree_text,
    text_digest,
    tree_document,
)
from bot.tree.model import Tree
from bot.tree.problems import TreeError

_proved: dict[tuple[str, str], Tree] = {}
_stored: dict[str, Tree] = {}
log = logging.getLogger(__name__)

#: The code a proof's verdict depends on: a change to any of it proves every tree again.
PROOF_CODE = sorted((Path(__file__).parent / "tree").glob("*.py"))


def proof_key(tree_digest: str) -> str:
    """Name a proof by the tree's content hash and the code that proves and walks it."""
    digest = hashlib.sha256(tree_digest.encode("ascii"))
    for path in PROOF_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cached_proof(folder: Path, key: str) -> int | None:
    try:
        found = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    paths = found.get("paths") if isinstance(found, dict) else None
    return paths if isinstance(paths, int) and not isinstance(paths, bool) else None


def _keep_proof(folder: Path, key: str, paths: int) -> None:
    """Write the verdict atomically (workers may start together); a read-only disk is fine."""
    _keep(folder, f"{key}.json", json.dumps({"paths": paths}).encode("ascii"))


def _keep(folder: Path, name: str, content: bytes) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as file:
            file.write(content)
        os.replace(file.name, folder / name)
    except OSError as error:
        log.info("Could not keep the tree proof in %s: %s", folder, error)


def _from_kept_document(folder: Path, key: str, file: str, digest: str) -> Tree | None:
    """The tree built from the parsed document kept beside its proof, or None: none kept, or
    it does not read or build (damaged), and the file is parsed instead."""
    try:
        content = (folder / f"{key}.document").read_bytes()
    except OSError:
        return None
    try:
        return build_tree(document_from_data(marshal.loads(content)), file, digest)
    except Exception as error:  # a cache: anything it holds that does not build is ignored
        log.info("Ignored a damaged kept tree document in %s: %r", folder, error)
        return None


def _keep_document(folder: Path, key: str, data) -> None:
    """Keep a proved tree's parsed document (`document_data`), so a restart builds it without
    parsing YAML."""
    try:
        content = marshal.dumps(data)
    except ValueError:  # a value marshal cannot keep (a YAML date): parse at each start
        return
    _keep(folder, f"{key}.document", content)


def load_proved_tree(path: str | Path, proofs: str | Path | None = None) -> Tree:
    """Load and prove the tree at `path`, reusing the proof while the file is unchanged.

    Proving walks every path of the tree (about a second). With `proofs`, a folder, the
    verdict is kept there by `proof_key`, so a restart with the same tree and code loads
    without proving again, and with the tree's parsed document (its YAML read into plain
    data, lines included), so it does not parse the YAML again either: the tree is still
    built and checked from it, as from the file. Only a passed proof is kept; `flask tree
    check` always proves.
    """
    resolved = Path(path).resolve()
    text = resolved.read_bytes()
    key = (str(resolved), hashlib.sha256(text).hexdigest())
    if key in _proved:
        return _proved[key]
    if proofs is None:
        tree = load_tree(resolved)
    else:
        folder, file = Path(proofs), str(resolved)
        # The digest of UTF-8 text is its bytes' digest; other bytes never had a proof kept.
        name = proof_key(key[1])
        paths = _cached_proof(folder, name)
        tree = _from_kept_document(folder, name, file, key[1]) if paths is not None else None
        if tree is not None:
            tree = dataclasses.replace(tree, path_count=paths)
        else:
            source = read_tree_text(resolved)
            document, duplicates = tree_document(source, file)
            data = document_data(document)
            tree = build_tree(document, file, text_digest(source), duplicates)
            name = proof_key(tree.digest)
            if paths is None:
                tree = prove(tree)
                _keep_proof(folder, name, tree.path_count)
            else:
                tree = dataclasses.replace(tree, path_count=paths)
            _keep_document(folder, name, data)
    _proved[key] = tree
    return tree


def kept_proofs(instance_path: str | Path) -> Path:
    """The folder where the app keeps its trees' proofs: `tree-proofs` in its instance folder."""
    return Path(instance_path) / "tree-proofs"


def init_app(app: Flask) -> None:
    app.extensions["question_tree"] = load_proved_tree(
        app.config["QUESTION_TREE"], kept_proofs(app.instance_path)
    )


def store_current_tree(app: Flask) -> None:
    """Keep the current tree's YAML in the database, once per version of its content."""
    tree = app.extensions["question_tree"]
    content = Path(app.config["QUESTION_TREE"]).read_text(encoding="utf-8")
    db = store.connect(app.config["DB"])
    try:
        store.save_tree(db, tree.digest, tree.id, tree.version, content)
    finally:
        db.conn.close()


def current_tree() -> Tree:
    return current_app.extensions["question_tree"]


def tree_for_digest(db, digest: str, current: Tree) -> Tree | None:
    """Return the tree with this content hash: the current one, or one stored earlier."""
    if digest == current.digest:
        return current
    if digest not in _stored:
        content = store.tree_content(db, digest)
        if content is None:
            return None
        try:
            _stored[digest] = parse_tree(content, f"<stored tree {digest[:12]}>")
        except TreeError:
            log.exception("A stored question tree (%s) no longer loads", digest[:12])
            return None
    return _stored[digest]


def version_key(version: str) -> tuple:
    """Order version labels naturally: "2026.10" after "2026.9", "2" after "1b"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-_ ]+", str(version))
    )


def is_newer(db, tree: Tree, audit: dict) -> bool:
    """True if `tree` is newer than the one the audit is on (so the audit may move to it).

    By version label; for two contents under one label, the one this database saw later.
    """
    if tree.digest == audit["tree_digest"]:
        return False
    ours, theirs = version_key(tree.version), version_key(audit["tree_version"])
    if ours != theirs:
        return ours > theirs
    seen_ours = store.tree_stored(db, tree.digest)
    seen_theirs = store.tree_stored(db, audit["tree_digest"])
    return seen_theirs is None or (seen_ours is not None and seen_ours > seen_theirs)


def tree_for_audit(db, audit: dict | None, current: Tree) -> Tree:
    """Return the tree to show and score an audit with.

    Its own if finished, or if it is on a newer tree than this app's (another app version
    moved it there); otherwise the current tree.
    """
    own = (
        audit is not None
        and audit["tree_digest"] != current.digest
        and (audit["status"] == store.FINISHED or not is_newer(db, current, audit))
    )
    return (tree_for_digest(db, audit["tree_digest"], current) or current) if own else current
