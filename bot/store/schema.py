"""The schema: every migration, in the one order they apply, and `migrate`.

Each step is a `sqlite_utils.Migrations` function, applied once and recorded, so applying
twice changes nothing. A new table or column is a new step at the end; a step is never edited.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from bot.store.connection import use_wal, write_transaction
from bot.store.team import keep_standing
from bot.tree.loader import parse_tree
from bot.tree.problems import TreeError

# The name is recorded in existing databases: it stays "bot.store".
migrations = Migrations("bot.store")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Create teams, links, audits, respondents and the append-only answers log."""
    db.table("teams").create(
        {
            "id": int,
            "name": str,
            "nation": str,
            "area": str,
            "host_type": str,
            "contact_email": str,
            "self_registered": int,
            "created": str,
            "archived": str,
        },
        pk="id",
        not_null={"name", "self_registered", "created"},
        defaults={"self_registered": 0},
        strict=True,
    )
    db.table("links").create(
        {
            "id": int,
            "team_id": int,
            "token_hash": str,
            "token_hint": str,
            "created": str,
            "expires": str,
            "revoked": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"team_id", "token_hash", "token_hint", "created"},
        strict=True,
    )
    db.table("links").create_index(["token_hash"], unique=True)
    db.table("links").create_index(["team_id"])
    db.table("audits").create(
        {
            "id": int,
            "team_id": int,
            "tree_id": str,
            "tree_version": str,
            "tree_digest": str,
            "status": str,
            "started": str,
            "updated": str,
            "finished": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={
            "team_id",
            "tree_id",
            "tree_version",
            "tree_digest",
            "status",
            "started",
            "updated",
        },
        strict=True,
    )
    db.table("audits").create_index(["team_id", "id"])
    db.table("respondents").create(
        {"id": int, "team_id": int, "name": str, "role": str, "created": str},
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={"team_id", "name", "role", "created"},
        defaults={"name": "", "role": ""},
        strict=True,
    )
    db.table("respondents").create_index(["team_id"])
    db.table("answers").create(
        {
            "id": int,
            "audit_id": int,
            "question_id": str,
            "value": str,
            "note": str,
            "respondent_id": int,
            "answered_at": str,
        },
        pk="id",
        foreign_keys=[("audit_id", "audits", "id"), ("respondent_id", "respondents", "id")],
        not_null={"audit_id", "question_id", "value", "note", "answered_at"},
        defaults={"note": ""},
        strict=True,
    )
    # Serves current_answers (max(id) per question) and answer_log.
    db.table("answers").create_index(["audit_id", "question_id", "id"])
    db.table("answers").create_index(["respondent_id"])
    # The log is append-only: make the database refuse edits, not just this module.
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER answers_no_{event.lower()} BEFORE {event} ON answers "
            "BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END"
        )


@migrations()
def m002_admins(db: sqlite_utils.Database) -> None:
    """Create the admins table: one row per foundation account, email unique."""
    db.table("admins").create(
        {"id": int, "email": str, "password_hash": str, "created": str, "last_login": str},
        pk="id",
        not_null={"email", "password_hash", "created"},
        strict=True,
    )
    db.table("admins").create_index(["email"], unique=True)


@migrations()
def m003_settings(db: sqlite_utils.Database) -> None:
    """Create the settings table: console switches as key and text value."""
    db.table("settings").create(
        {"key": str, "value": str}, pk="key", not_null={"value"}, strict=True
    )


@migrations()
def m004_tree_versions(db: sqlite_utils.Database) -> None:
    """Keep every question tree an audit used, by content hash, and log audits moved between."""
    db.table("trees").create(
        {"digest": str, "tree_id": str, "version": str, "content": str, "stored": str},
        pk="digest",
        strict=True,
    )
    db.table("audit_tree_moves").create(
        {
            "id": int,
            "audit_id": int,
            "from_digest": str,
            "from_version": str,
            "to_digest": str,
            "to_version": str,
            "new_questions": int,
            "asked_again": int,
            "removed": int,
            "moved": str,
        },
        pk="id",
        foreign_keys=[("audit_id", "audits", "id")],
        strict=True,
    )
    db.table("audit_tree_moves").create_index(["audit_id", "id"])


@migrations()
def m007_pending_signups(db: sqlite_utils.Database) -> None:
    """Give teams `pending`: 1 for a sign-up no console user has approved yet.

    Teams that signed themselves up before this step were never checked, so they start
    pending too; teams the foundation added were never pending.
    """
    db.table("teams").add_column("pending", int, not_null_default=0)
    db.execute("UPDATE teams SET pending = 1 WHERE self_registered = 1")


@migrations()
def m008_throttles(db: sqlite_utils.Database) -> None:
    """Count throttled events and console lockouts in the database, shared by every worker.

    Also give each admin a session version: a session carries the version it began under, and
    signing out or changing the password moves it on, which ends every copy of that session.
    """
    db.table("throttle_hits").create(
        {"id": int, "key": str, "at": float}, pk="id", not_null={"key", "at"}, strict=True
    )
    db.table("throttle_hits").create_index(["key", "at"])
    db.table("throttle_hits").create_index(["at"])
    db.table("login_lockouts").create(
        {"email": str, "failures": int, "locked_until": float, "updated": float},
        pk="email",
        not_null={"failures", "locked_until", "updated"},
        strict=True,
    )
    db.table("admins").add_column("session_version", int, not_null_default=0)


@migrations()
def m009_standings(db: sqlite_utils.Database) -> None:
    """Keep each audit's standing, as of (updated, status, tree), so cold views need not evaluate.

    `standing` is the JSON of `tree.assessment.Standing`; a row counts only while its key
    still matches its audit, so a stale one is never read.
    """
    db.table("standings").create(
        {"audit_id": int, "updated": str, "status": str, "tree_digest": str, "standing": str},
        pk="audit_id",
        foreign_keys=[("audit_id", "audits", "id")],
        not_null={"updated", "status", "tree_digest", "standing"},
        strict=True,
    )


@migrations()
def m010_answers_by_respondent(db: sqlite_utils.Database) -> None:
    """Index each audit's answers by who gave them: the console counts each current audit's
    contributors for every team, from this index alone (30 ms at 5,000 teams, not 160)."""
    db.table("answers").create_index(["audit_id", "respondent_id"])


@migrations()
def m011_standing_paths(db: sqlite_utils.Database) -> None:
    """Keep a standing's path (question ids, space-separated) beside its JSON, not inside it.

    The path is most of a standing's bytes and only the answers export reads it; decoding it
    from JSON for every team was half a cold progress table. Kept standings are a cache, so
    the old rows are dropped and each is worked out again the first time it is wanted.
    """
    db.execute("DELETE FROM standings")
    db.table("standings").add_column("path", str, not_null_default="")


@migrations()
def m012_team_summaries(db: sqlite_utils.Database) -> None:
    """Keep one narrow row per team of what the progress table and national picture need.

    Derived in SQL from the team's audits and their kept standings (`store.summaries`), so
    the console filters, sorts, counts and pages in SQL. A cache like the standings: left
    empty here, each team's row is built the first time the console finds it missing.
    """
    db.table("team_summaries").create(
        {
            "team_id": int,
            "audit_id": int,
            "audit_status": str,
            "audit_updated": str,
            "audit_tree_digest": str,
            "audit_tree_version": str,
            "audits": int,
            "status": str,
            "answered": int,
            "total": int,
            "percent": int,
            "last_activity": str,
            "contributors": int,
            "finished_audit_id": int,
            "finished_tree_digest": str,
            "finished_tree_version": str,
            "counted_status": str,
            "result": str,
            "scored_digest": str,
            "finished_scored_digest": str,
            "fresh": int,
        },
        pk="team_id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={
            "audits",
            "status",
            "answered",
            "total",
            "percent",
            "last_activity",
            "contributors",
            "counted_status",
            "fresh",
        },
        strict=True,
    )


@migrations()
def m013_one_standing_per_audit(db: sqlite_utils.Database) -> None:
    """Drop the team summaries; keep each answered audit's standing, written with each change.

    Standings were a cache, checked against their audit before use; from now on the store
    keeps an audit's standing in the same transaction as every change to it (`keep_standing`),
    so it needs no key to check. Each answered audit's standing is worked out here once, with
    the tree the audit is on (the latest stored tree for one whose tree was never stored).
    """
    db.execute("DROP TABLE IF EXISTS team_summaries")
    db.execute("DROP TABLE IF EXISTS standings")
    db.table("standings").create(
        {"audit_id": int, "standing": str, "path": str},
        pk="audit_id",
        foreign_keys=[("audit_id", "audits", "id")],
        not_null={"standing", "path"},
        strict=True,
    )
    _keep_every_standing(db)


def _keep_every_standing(db: sqlite_utils.Database) -> None:
    """Work out each answered audit's standing again, with the tree the audit is on."""
    trees = {}
    for digest, content in db.execute("SELECT digest, content FROM trees ORDER BY stored, digest"):
        try:
            trees[digest] = parse_tree(content, f"<stored tree {digest[:12]}>")
        except TreeError:
            continue
    latest = list(trees.values())[-1] if trees else None
    answered = db.execute(
        "SELECT id, tree_digest FROM audits WHERE id IN (SELECT DISTINCT audit_id FROM answers)"
    ).fetchall()
    for audit_id, digest in answered:
        tree = trees.get(digest, latest)
        if tree is not None:
            keep_standing(db, audit_id, tree)


@migrations()
def m029_mail(db: sqlite_utils.Database) -> None:
    """Give teams a contact name; create the outbox and the console's edited mail templates.

    An outbox row is written in the transaction of the action that sends it (`store.outbox`),
    so a mail server that is down loses nothing. `link` holds an invitation's fresh link only
    until the message is sent or given up on; the stored body has a marker in its place.
    """
    db.table("teams").add_column("contact_name", str)
    db.table("outbox").create(
        {
            "id": int,
            "team_id": int,
            "kind": str,
            "language": str,
            "recipient": str,
            "recipient_name": str,
            "subject": str,
            "body": str,
            "link": str,
            "link_hint": str,
            "message_id": str,
            "state": str,
            "attempts": int,
            "queued": str,
            "queued_by": int,
            "next_attempt": str,
            "claimed_until": str,
            "sent": str,
            "last_error": str,
        },
        pk="id",
        foreign_keys=[("team_id", "teams", "id")],
        not_null={
            "kind",
            "language",
            "recipient",
            "subject",
            "body",
            "message_id",
            "state",
            "attempts",
            "queued",
            "next_attempt",
        },
        defaults={"attempts": 0},
        strict=True,
    )
    db.table("outbox").create_index(["state", "next_attempt"])
    db.table("outbox").create_index(["team_id", "id"])
    db.table("mail_templates").create(
        {
            "kind": str,
            "language": str,
            "subject": str,
            "body": str,
            "updated": str,
            "updated_by": int,
        },
        pk=("kind", "language"),
        not_null={"subject", "body", "updated"},
        strict=True,
    )


@migrations()
def m029_imports(db: sqlite_utils.Database) -> None:
    """Record each import from a spreadsheet and the teams it made, for its page of links."""
    db.table("imports").create(
        {"id": int, "created": str, "admin_id": int, "teams": int},
        pk="id",
        not_null={"created", "teams"},
        strict=True,
    )
    db.table("import_teams").create(
        {"import_id": int, "team_id": int},
        pk=("import_id", "team_id"),
        foreign_keys=[("import_id", "imports", "id"), ("team_id", "teams", "id")],
        strict=True,
    )


@migrations()
def m029_accounts(db: sqlite_utils.Database) -> None:
    """Let an admin account be disabled; keep a record of every console action and the
    sessions signed out one by one (until their absolute limit would have ended them)."""
    db.table("admins").add_column("disabled", str)
    db.table("console_actions").create(
        {
            "id": int,
            "at": str,
            "admin_id": int,
            "admin_email": str,
            "action": str,
            "team_id": int,
            "detail": str,
        },
        pk="id",
        not_null={"at", "action", "detail"},
        defaults={"detail": ""},
        strict=True,
    )
    db.table("console_actions").create_index(["team_id", "id"])
    db.table("admin_signouts").create(
        {"session_hash": str, "until": float}, pk="session_hash", not_null={"until"}, strict=True
    )


@migrations()
def m029_rejected(db: sqlite_utils.Database) -> None:
    """Give teams `rejected`: when a console user rejected the sign-up (its link dies)."""
    db.table("teams").add_column("rejected", str)


@migrations()
def m030_national_releases(db: sqlite_utils.Database) -> None:
    """Keep each dated release of the national picture as it was published.

    `data` is the JSON of `bot.national.release.Release.data()`: the cells shown and, for
    auditing later releases only, the true counts and each counted team's fingerprint.
    """
    db.table("national_releases").create(
        {"id": int, "published_on": str, "published": str, "admin_id": int, "data": str},
        pk="id",
        foreign_keys=[("admin_id", "admins", "id")],
        not_null={"published_on", "published", "data"},
        strict=True,
    )


@migrations()
def m031_members_own_words(db: sqlite_utils.Database) -> None:
    """Keep every member's words under their own name (issue 31).

    - answers: a colleague's note kept with a member's answer is kept apart from the member's
      own note (`kept_note`), with whose it was (`kept_note_by`);
    - respondents: the kind of device a member started on, to tell members without a name
      apart ("a member without a name, on a phone, since 10:32");
    - disagreements: an answer a member kept as theirs while the team's answer stayed a
      colleague's ("Keep their answer"), append-only like the answers;
    - drafts: what a member typed but has not saved yet (a conflict, a language switch), one
      per member and question, deleted when that answer is saved;
    - presence: the question each member has open, so colleagues are not sent to it.
    """
    db.table("answers").add_column("kept_note", str, not_null_default="")
    db.table("answers").add_column("kept_note_by", int)
    db.table("respondents").add_column("device", str, not_null_default="")
    db.table("disagreements").create(
        {
            "id": int,
            "audit_id": int,
            "question_id": str,
            "value": str,
            "note": str,
            "respondent_id": int,
            "against_answer_id": int,
            "recorded": str,
        },
        pk="id",
        foreign_keys=[
            ("audit_id", "audits", "id"),
            ("respondent_id", "respondents", "id"),
            ("against_answer_id", "answers", "id"),
        ],
        not_null={"audit_id", "question_id", "value", "note", "recorded"},
        defaults={"note": ""},
        strict=True,
    )
    db.table("disagreements").create_index(["audit_id", "question_id", "id"])
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER disagreements_no_{event.lower()} BEFORE {event} ON disagreements "
            "BEGIN SELECT RAISE(ABORT, 'disagreements are append-only'); END"
        )
    db.table("drafts").create(
        {
            "respondent_id": int,
            "question_id": str,
            "audit_id": int,
            "answer": str,
            "note": str,
            "keep_note": int,
            "revision": str,
            "saved": str,
        },
        pk=("respondent_id", "question_id"),
        foreign_keys=[("respondent_id", "respondents", "id"), ("audit_id", "audits", "id")],
        not_null={"audit_id", "answer", "note", "revision", "saved"},
        strict=True,
    )
    db.table("presence").create(
        {"respondent_id": int, "audit_id": int, "question_id": str, "seen": str},
        pk="respondent_id",
        foreign_keys=[("respondent_id", "respondents", "id"), ("audit_id", "audits", "id")],
        not_null={"audit_id", "question_id", "seen"},
        strict=True,
    )
    db.table("presence").create_index(["audit_id", "seen"])


@migrations()
def m032_optional_answers_kept(db: sqlite_utils.Database) -> None:
    """Keep the optional 2024 answers in every standing, for the national releases to count:
    each answered audit's standing is worked out again (standings kept before had none)."""
    _keep_every_standing(db)


@migrations()
def m033_throttle_counts_apart(db: sqlite_utils.Database) -> None:
    """Throttle counts live in a file of their own (`security.connect_limits`), so a page that
    only reads never writes the audit database: its old table goes."""
    db.execute("DROP TABLE IF EXISTS throttle_hits")


def migrate(db: sqlite_utils.Database) -> None:
    """Put the file in WAL mode and apply any pending migrations; twice changes nothing.

    A database with nothing pending is only read, so one on read-only storage still starts.
    """
    use_wal(db)
    if db.table(migrations.migrations_table).exists() and not migrations.pending(db):
        return
    # Under BEGIN IMMEDIATE two workers starting together cannot both apply the same step;
    # each migration's own db.atomic() nests inside as a savepoint.
    with write_transaction(db):
        migrations.apply(db)
