"""Every audit's standing (status, progress, result, descriptor statuses): kept, then cached.

A standing depends only on the audit's answers, its status and its tree. `audits.updated`
moves with every answer, so (audit, updated, status, tree) names one standing exactly. The
team's answer keeps the audit's new standing in the same transaction
(`audit.state.standing_to_keep`), so a cold console reads standings rather than evaluating
audits; the worker's memory caches them after. An audit whose kept standing no longer matches
its key (reopened, moved to a newer tree, or changed before standings were kept) is evaluated
here, by the one evaluation (`assess`), and kept for next time.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable

from flask import Flask, current_app

from bot import store
from bot.audit.state import standing_to_keep
from bot.tree.assessment import Standing, assess
from bot.tree.model import Tree
from bot.trees import tree_for_audit

DEFAULT_SIZE = 50_000
log = logging.getLogger(__name__)


def _still_fits(kept: dict | None, audit: dict, tree: Tree) -> bool:
    return (
        kept is not None
        and kept["updated"] == store.stamp(audit["updated"])
        and kept["status"] == audit["status"]
        and kept["tree_digest"] == tree.digest
    )


class Standings:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._cache: OrderedDict[tuple, Standing] = OrderedDict()

    def for_audits(
        self, db, tree: Tree, audits: Iterable[dict | None]
    ) -> dict[int | None, Standing]:
        """Return the standing of each audit (None: a team with no audit yet), by audit id."""
        found: dict[int | None, Standing] = {}
        wanted: dict[int, tuple[dict, Tree, tuple]] = {}
        for audit in audits:
            if audit is None:
                found[None] = self._get(("none", tree.digest)) or self._put(
                    ("none", tree.digest), Standing.of(assess(tree, None, {}))
                )
                continue
            audit_tree = tree_for_audit(db, audit, tree)
            key = (audit["id"], str(audit["updated"]), audit["status"], audit_tree.digest)
            cached = self._get(key)
            if cached is not None:
                found[audit["id"]] = cached
            else:
                wanted[audit["id"]] = (audit, audit_tree, key)
        if not wanted:
            return found
        kept = store.kept_standings(db, list(wanted))
        for audit_id, (audit, audit_tree, key) in list(wanted.items()):
            if _still_fits(kept.get(audit_id), audit, audit_tree):
                found[audit_id] = self._put(key, Standing.from_data(kept[audit_id]["standing"]))
                del wanted[audit_id]
        if wanted:
            answers = store.current_values_for_audits(db, list(wanted))
            to_keep = {}
            for audit_id, (audit, audit_tree, key) in wanted.items():
                assessment = assess(audit_tree, audit, answers[audit_id])
                found[audit_id] = self._put(key, Standing.of(assessment))
                to_keep[audit_id] = (
                    audit["updated"],
                    standing_to_keep(assessment, audit["status"]),
                )
            self._keep(db, to_keep)
        return found

    @staticmethod
    def _keep(db, to_keep: dict) -> None:
        """Keep what was evaluated, unless inside a read snapshot (an export): it is a cache."""
        if db.conn.in_transaction:
            return
        try:
            store.keep_standings(db, to_keep)
        except sqlite3.OperationalError as error:
            log.warning("Could not keep %d standings: %s", len(to_keep), error)

    def _get(self, key: tuple) -> Standing | None:
        standing = self._cache.get(key)
        if standing is not None:
            self._cache.move_to_end(key)
        return standing

    def _put(self, key: tuple, standing: Standing) -> Standing:
        self._cache[key] = standing
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return standing


def standings() -> Standings:
    return current_app.extensions["standings"]


def init_app(app: Flask) -> None:
    app.extensions["standings"] = Standings(app.config["STANDINGS_CACHE_SIZE"])
