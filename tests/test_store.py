import base64
import dataclasses
import hashlib
import multiprocessing
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import store
from bot.tree.loader import read_tree

TREE = {"tree_id": "self_audit", "tree_version": "1", "tree_digest": "abc123"}
#: What the store scores each audit with when it keeps its standing.
MINI = read_tree(Path(__file__).parent / "trees" / "mini.yaml")


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "data" / "audit.db"
    db = store.connect(path)
    store.migrate(db)
    db.close()
    return path


@pytest.fixture
def db(db_path):
    db = store.connect(db_path)
    yield db
    db.close()


@pytest.fixture
def team(db):
    team_id, _token = store.create_team(db, "Little Steps", nation="wales")
    return team_id


@pytest.fixture
def audit(db, team):
    return store.current_audit(db, team, **TREE)["id"]


def all_values(db):
    for table in db.table_names():
        for row in db.table(table).rows:
            yield from row.values()


# -- connection and schema ------------------------------------------------------------------


def test_connect_creates_the_parent_directory(tmp_path):
    path = tmp_path / "a" / "b" / "audit.db"
    store.connect(path).close()
    assert path.exists()


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(db):
    assert db.journal_mode == "wal"
    assert next(db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
    assert next(db.query("PRAGMA busy_timeout"))["timeout"] == 10_000


def test_migrate_twice_is_safe(db):
    schema = db.schema
    applied = store.migrations.applied(db)
    store.migrate(db)
    store.migrate(db)
    assert db.schema == schema
    assert store.migrations.applied(db) == applied
    assert {"teams", "links", "audits", "respondents", "answers"} <= set(db.table_names())


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_respondent(db, 999, "Sam", "")


# -- teams and links ------------------------------------------------------------------------


def test_token_is_at_least_128_bits_and_only_its_hash_is_stored(db, db_path):
    team_id, token = store.create_team(db, "Little Steps", contact_email="lead@example.org")
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    values = list(all_values(db))
    assert not any(token in str(value) for value in values)
    assert hashlib.sha256(token.encode()).hexdigest() in values
    assert store.live_link(db, team_id)["hint"] == token[-4:]
    on_disk = b"".join(p.read_bytes() for p in db_path.parent.iterdir())
    assert token.encode() not in on_disk


def test_tokens_differ_between_teams(db):
    tokens = {store.create_team(db, f"Team {n}")[1] for n in range(20)}
    assert len(tokens) == 20


def test_live_token_opens_its_team(db):
    team_id, token = store.create_team(
        db, "Little Steps", nation="scotland", area="Fife", host_type="nhs", self_registered=True
    )
    team = store.team_by_token(db, token)
    assert team["id"] == team_id
    assert team["name"] == "Little Steps"
    assert team["area"] == "Fife"
    assert team["self_registered"] is True
    assert team["created"].tzinfo is not None


def _wrong(db, team_id, token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _revoked(db, team_id, token):
    store.revoke_link(db, team_id)
    return token


def _reissued(db, team_id, token):
    store.reissue_link(db, team_id)
    return token


def _archived(db, team_id, token):
    store.archive_team(db, team_id)
    return token


def _expired(db, team_id, token):
    return store.reissue_link(db, team_id, expires=datetime.now(UTC) - timedelta(seconds=1))


@pytest.mark.parametrize(
    "close", [_wrong, _revoked, _reissued, _archived, _expired], ids=lambda f: f.__name__[1:]
)
def test_closed_or_wrong_tokens_open_nothing(db, close):
    team_id, token = store.create_team(db, "Little Steps")
    assert store.team_by_token(db, close(db, team_id, token)) is None


@pytest.mark.parametrize("token", ["", " ", "x" * 10_000, None, 42])
def test_junk_tokens_open_nothing(db, token):
    store.create_team(db, "Little Steps")
    assert store.team_by_token(db, token) is None


def test_reissued_link_opens_the_team_and_the_old_one_is_revoked_at_once(db):
    team_id, old = store.create_team(db, "Little Steps")
    new = store.reissue_link(db, team_id)
    assert new != old
    assert store.team_by_token(db, new)["id"] == team_id
    assert store.team_by_token(db, old) is None
    live = db.query("SELECT * FROM links WHERE team_id = ? AND revoked IS NULL", [team_id])
    assert len(list(live)) == 1


def test_link_with_future_expiry_works(db):
    team_id, _ = store.create_team(db, "Little Steps")
    token = store.reissue_link(db, team_id, expires=datetime.now(UTC) + timedelta(days=1))
    assert store.team_by_token(db, token)["id"] == team_id


def test_reissue_for_an_unknown_team_fails(db):
    with pytest.raises(LookupError):
        store.reissue_link(db, 999)


def test_archived_team_is_kept_with_its_archive_time(db, team):
    store.archive_team(db, team)
    archived = store.get_team(db, team)["archived"]
    store.archive_team(db, team)
    assert store.get_team(db, team)["archived"] == archived
    assert store.get_team(db, 999) is None


# -- respondents and audits -----------------------------------------------------------------


def test_respondent_round_trips_with_optional_name_and_role(db, team):
    sam = store.get_respondent(db, store.add_respondent(db, team, "Sam", "Health visitor"))
    anon = store.get_respondent(db, store.add_respondent(db, team, "", ""))
    assert (sam["team_id"], sam["name"], sam["role"]) == (team, "Sam", "Health visitor")
    assert (anon["name"], anon["role"]) == ("", "")
    assert store.get_respondent(db, 999) is None


def test_current_audit_is_created_once_then_reused(db, team):
    first = store.current_audit(db, team, **TREE)
    again = store.current_audit(db, team, tree_id="other", tree_version="9", tree_digest="z")
    assert again == first
    assert first["status"] == "in_progress"
    assert first["started"] == first["updated"]
    assert first["finished"] is None
    assert (first["tree_id"], first["tree_version"], first["tree_digest"]) == (
        "self_audit",
        "1",
        "abc123",
    )


def test_finish_then_reopen_audit(db, audit):
    store.finish_audit(db, audit, tree=MINI)
    finished = store.get_audit(db, audit)
    assert finished["status"] == "finished"
    assert finished["finished"].tzinfo is UTC
    store.reopen_audit(db, audit, tree=MINI)
    reopened = store.get_audit(db, audit)
    assert reopened["status"] == "in_progress"
    assert reopened["finished"] is None


def test_new_audit_keeps_the_previous_one_and_becomes_current(db, team, audit):
    store.record_answer(db, audit, "q1", "yes", tree=MINI)
    store.finish_audit(db, audit, tree=MINI)
    new = store.start_new_audit(db, team, **{**TREE, "tree_version": "2"})
    assert [a["id"] for a in store.audits_for_team(db, team)] == [new["id"], audit]
    assert store.current_audit(db, team, **TREE)["id"] == new["id"]
    assert store.current_answers(db, new["id"]) == {}
    assert store.current_answers(db, audit)["q1"].value == "yes"


# -- answers --------------------------------------------------------------------------------


def test_answers_are_appended_current_is_latest_and_history_keeps_all(db, team, audit):
    sam = store.add_respondent(db, team, "Sam", "Psychologist")
    alex = store.add_respondent(db, team, "Alex", "Lead")
    store.record_answer(db, audit, "has_referrals", "no", respondent_id=sam, tree=MINI)
    store.record_answer(db, audit, "staff", 3, respondent_id=sam, tree=MINI)
    store.record_answer(
        db, audit, "has_referrals", "yes", respondent_id=alex, note="since May", tree=MINI
    )

    current = store.current_answers(db, audit)
    assert set(current) == {"has_referrals", "staff"}
    latest = current["has_referrals"]
    assert (latest.value, latest.note, latest.respondent_name) == ("yes", "since May", "Alex")
    assert latest.previous.value == "no"
    assert latest.previous.respondent_id == sam
    assert latest.previous.respondent_name == "Sam"
    assert current["staff"].value == 3
    assert current["staff"].previous is None

    history = store.answer_log(db, audit).get("has_referrals", [])
    assert [a.value for a in history] == ["no", "yes"]
    assert history[0].previous is None
    assert history[1].previous == history[0]
    assert db.table("answers").count == 3


def test_history_chains_every_previous_entry(db, audit):
    for value in ["a", "b", "c", "d"]:
        store.record_answer(db, audit, "q", value, tree=MINI)
    history = store.answer_log(db, audit).get("q", [])
    assert history[-1].previous.previous.previous == history[0]
    current = store.current_answers(db, audit)["q"]
    assert current.previous == dataclasses.replace(history[-2], previous=None)
    assert dataclasses.replace(current, previous=None) == dataclasses.replace(
        history[-1], previous=None
    )
    assert store.answer_log(db, audit).get("never_asked", []) == []


def test_answer_rows_cannot_be_updated_or_deleted(db, audit):
    store.record_answer(db, audit, "q1", "yes", tree=MINI)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE answers SET value = '\"no\"'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM answers")
    assert store.current_answers(db, audit)["q1"].value == "yes"


@pytest.mark.parametrize(
    "value, note",
    [
        ("yes", "Tîm Cymraeg — gwasanaeth rhieni a babanod"),
        (["a", "b"], "👶🍼❤️ family‑first, «quoted», 中文, עברית"),
        ({"count": 2, "nested": [None, True, 1.5]}, "x" * 10_000),
        (None, "line one\nline two\ttabbed 'single' \"double\" \\ back\x00slash"),
        ("emoji 🧸 value", ""),
    ],
)
def test_values_and_notes_round_trip(db, audit, value, note):
    store.record_answer(db, audit, "q1", value, note=note, tree=MINI)
    got = store.current_answers(db, audit)["q1"]
    assert got.value == value
    assert got.note == note


def test_answered_at_is_aware_utc_and_touches_the_audit(db, audit):
    plus_one = timezone(timedelta(hours=1))
    at = (datetime.now(UTC) + timedelta(hours=3)).astimezone(plus_one)  # after the audit began
    store.record_answer(db, audit, "q1", "yes", at=at, tree=MINI)
    got = store.current_answers(db, audit)["q1"].answered_at
    assert got == at
    assert got.tzinfo is UTC
    assert store.get_audit(db, audit)["updated"] == at


def test_naive_answer_time_is_refused(db, audit):
    with pytest.raises(ValueError):
        store.record_answer(db, audit, "q1", "yes", at=datetime(2024, 12, 3, 10, 30), tree=MINI)
    assert store.current_answers(db, audit) == {}


def test_answer_for_unknown_audit_is_refused(db):
    with pytest.raises(LookupError):
        store.record_answer(db, 999, "q1", "yes", tree=MINI)


def test_respondent_from_another_team_cannot_answer(db, audit):
    other_team, _ = store.create_team(db, "Other")
    stranger = store.add_respondent(db, other_team, "Mo", "")
    with pytest.raises(ValueError):
        store.record_answer(db, audit, "q1", "yes", respondent_id=stranger, tree=MINI)
    assert db.table("answers").count == 0


def test_contributors_counts_answers_most_recent_first(db, team, audit):
    sam = store.add_respondent(db, team, "Sam", "Psychologist")
    alex = store.add_respondent(db, team, "Alex", "")
    day = datetime(2024, 12, 1, 9, tzinfo=UTC)
    store.record_answer(db, audit, "q1", "no", respondent_id=sam, at=day, tree=MINI)
    store.record_answer(
        db, audit, "q2", "no", respondent_id=sam, at=day + timedelta(hours=1), tree=MINI
    )
    store.record_answer(
        db, audit, "q1", "yes", respondent_id=alex, at=day + timedelta(days=2), tree=MINI
    )
    store.record_answer(db, audit, "q3", "yes", at=day + timedelta(days=3), tree=MINI)  # anonymous
    other = store.start_new_audit(db, team, **TREE)["id"]
    store.record_answer(db, other, "q1", "no", respondent_id=sam, tree=MINI)

    got = store.contributors(db, audit)
    assert [(c["name"], c["role"], c["answers"]) for c in got] == [
        ("Alex", "", 1),
        ("Sam", "Psychologist", 2),
    ]
    assert got[0]["last_answered"] == day + timedelta(days=2)
    assert got[1]["last_answered"] == day + timedelta(hours=1)
    assert got[1]["respondent_id"] == sam


# -- transactions and concurrency -----------------------------------------------------------


def test_write_transaction_rolls_back_everything_on_error(db, team, audit):
    with pytest.raises(RuntimeError), store.write_transaction(db):
        store.record_answer(db, audit, "q1", "yes", tree=MINI)
        store.add_respondent(db, team, "Sam", "")
        raise RuntimeError("boom")
    assert not db.conn.in_transaction
    assert db.table("answers").count == 0
    assert db.table("respondents").count == 0


def test_read_then_write_waits_for_another_writer_instead_of_failing(db_path, audit):
    first = store.connect(db_path)
    first_holds_lock = threading.Event()
    outcome = {}

    def read_then_write():
        second = store.connect(db_path)
        first_holds_lock.wait()
        try:
            with store.write_transaction(second):
                seen = second.table("answers").count
                store.record_answer(second, audit, "q1", f"after {seen}", tree=MINI)
            outcome["value"] = store.current_answers(second, audit)["q1"].value
        except sqlite3.OperationalError as error:  # "database is locked" with deferred BEGIN
            outcome["error"] = error
        finally:
            second.close()

    thread = threading.Thread(target=read_then_write)
    thread.start()
    with store.write_transaction(first):
        assert first.table("answers").count == 0
        first_holds_lock.set()
        time.sleep(0.2)  # the other connection is now queued on the write lock
        store.record_answer(first, audit, "q1", "first", tree=MINI)
    thread.join(timeout=15)
    first.close()
    assert outcome == {"value": "after 1"}


def _record_many(path, audit_id, respondent_id, count, go):
    db = store.connect(path)
    go.wait()
    for n in range(count):
        store.record_answer(db, audit_id, f"q{n % 7}", n, respondent_id=respondent_id, tree=MINI)
    db.close()


def _open_audits(path, team_ids, go):
    db = store.connect(path)
    go.wait()
    for team_id in team_ids:
        store.current_audit(db, team_id, **TREE)
    db.close()


def _run_together(target, args_list):
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    processes = [context.Process(target=target, args=(*args, go)) for args in args_list]
    for process in processes:
        process.start()
    go.set()
    for process in processes:
        process.join(timeout=30)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def test_two_processes_writing_answers_lose_nothing(db, db_path, team, audit):
    sam = store.add_respondent(db, team, "Sam", "")
    alex = store.add_respondent(db, team, "Alex", "")
    _run_together(_record_many, [(db_path, audit, sam, 200), (db_path, audit, alex, 200)])
    assert db.table("answers").count == 400
    counts = {c["name"]: c["answers"] for c in store.contributors(db, audit)}
    assert counts == {"Sam": 200, "Alex": 200}
    ids = [row["id"] for row in db.query("SELECT id FROM answers ORDER BY id")]
    assert ids == list(range(1, 401))
    history = sum(len(store.answer_log(db, audit).get(f"q{n}", [])) for n in range(7))
    assert history == 400


def test_two_processes_racing_to_open_audits_create_one_per_team(db, db_path):
    team_ids = [store.create_team(db, f"Team {n}")[0] for n in range(40)]
    _run_together(_open_audits, [(db_path, team_ids), (db_path, team_ids[::-1])])
    for team_id in team_ids:
        assert len(store.audits_for_team(db, team_id)) == 1
