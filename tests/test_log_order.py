"""The answers log keeps time order: ids and times never disagree, even with writers racing.

Several processes write to one database at once, as gunicorn's workers do. Each answer is
stamped inside its write transaction, so no answer can carry an earlier time than one
written before it, and the audit's `updated` time only moves forward.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import store
from bot.tree.loader import read_tree

WRITERS = 4
MINI = Path(__file__).parent / "trees" / "mini.yaml"
ANSWERS_EACH = 60


def write_answers(path: str, audit_ids: list[int], writer: int, start) -> None:
    db = store.connect(path)
    tree = read_tree(MINI)
    start.wait()
    for n in range(ANSWERS_EACH):
        audit_id = audit_ids[n % len(audit_ids)]
        store.record_answer(db, audit_id, f"q{n % 7}", f"writer {writer}, answer {n}", tree=tree)
        if n % 10 == 0:
            store.finish_audit(db, audit_id, tree=tree)
            store.reopen_audit(db, audit_id, tree=tree)
    db.conn.close()


def test_log_times_never_run_backwards_under_concurrent_writers(tmp_path):
    path = str(tmp_path / "order.db")
    db = store.connect(path)
    store.migrate(db)
    team_id, _ = store.create_team(db, "Racing team")
    tree = {"tree_id": "t", "tree_version": "1", "tree_digest": "d"}
    audit_ids = [store.start_new_audit(db, team_id, **tree)["id"] for _ in range(2)]

    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [
        context.Process(target=write_answers, args=(path, audit_ids, n, start))
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0] * WRITERS

    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT id, answered_at, audit_id FROM answers ORDER BY id").fetchall()
    assert len(rows) == WRITERS * ANSWERS_EACH
    backwards = [(a, b) for a, b in zip(rows, rows[1:], strict=False) if b[1] < a[1]]
    assert backwards == []
    for audit_id in audit_ids:
        (updated,) = conn.execute("SELECT updated FROM audits WHERE id = ?", [audit_id]).fetchone()
        assert updated >= max(at for _, at, audit in rows if audit == audit_id)
    conn.close()


def test_an_answer_stamped_earlier_than_the_log_takes_the_logs_latest_time(tmp_path):
    db = store.connect(tmp_path / "clock.db")
    store.migrate(db)
    team_id, _ = store.create_team(db, "Clock team")
    audit_id = store.start_new_audit(db, team_id, tree_id="t", tree_version="1", tree_digest="d")[
        "id"
    ]
    later = datetime.now(UTC) + timedelta(hours=2)
    tree = read_tree(MINI)
    store.record_answer(db, audit_id, "q1", "yes", at=later, tree=tree)
    store.record_answer(
        db, audit_id, "q2", "no", at=later - timedelta(hours=1), tree=tree
    )  # clock stepped
    times = [record.answered_at for record in store.current_answers(db, audit_id).values()]
    assert times == [later, later]
    assert store.get_audit(db, audit_id)["updated"] == later
    store.finish_audit(db, audit_id, tree=tree)
    assert store.get_audit(db, audit_id)["updated"] == later
