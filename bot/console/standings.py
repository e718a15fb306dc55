"""Every audit's standing (status, progress, result, descriptor statuses), cached per app.

A standing depends only on the audit's answers, its status and its tree. `audits.updated`
moves with every answer, so (audit, updated, status, tree) names one standing exactly: the
console recomputes, and loads answers for, only the audits that changed since it last looked.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from flask import Flask, current_app

from bot import store
from bot.console import national
from bot.tree.assessment import assess
from bot.tree.model import Tree
from bot.trees import tree_for_audit

DEFAULT_SIZE = 50_000


class Standings:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._cache: OrderedDict[tuple, national.Standing] = OrderedDict()

    def for_audits(
        self, db, tree: Tree, audits: Iterable[dict | None]
    ) -> dict[int | None, national.Standing]:
        """Return the standing of each audit (None: a team with no audit yet), by audit id."""
        found: dict[int | None, national.Standing] = {}
        wanted: dict[int, tuple[dict, Tree, tuple]] = {}
        for audit in audits:
            if audit is None:
                found[None] = self._get(("none", tree.digest)) or self._put(
                    ("none", tree.digest), national.Standing.of(assess(tree, None, {}))
                )
                continue
            audit_tree = tree_for_audit(db, audit, tree)
            key = (audit["id"], str(audit["updated"]), audit["status"], audit_tree.digest)
            cached = self._get(key)
            if cached is not None:
                found[audit["id"]] = cached
            else:
                wanted[audit["id"]] = (audit, audit_tree, key)
        if wanted:
            answers = store.current_values_for_audits(db, list(wanted))
            for audit_id, (audit, audit_tree, key) in wanted.items():
                values = answers[audit_id]
                found[audit_id] = self._put(
                    key, national.Standing.of(assess(audit_tree, audit, values))
                )
        return found

    def _get(self, key: tuple) -> national.Standing | None:
        standing = self._cache.get(key)
        if standing is not None:
            self._cache.move_to_end(key)
        return standing

    def _put(self, key: tuple, standing: national.Standing) -> national.Standing:
        self._cache[key] = standing
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return standing


def standings() -> Standings:
    return current_app.extensions["standings"]


def init_app(app: Flask) -> None:
    app.extensions["standings"] = Standings(app.config["STANDINGS_CACHE_SIZE"])
