"""Each team's summary row: what the progress table and the national picture read.

A summary is derived in SQL alone from the team's audits and their kept standings
(`standings`), so it can be refreshed inside any write transaction without evaluating an
audit: every store write that changes a team's audits or standings refreshes that team's row
in the same transaction. Like a kept standing it is a cache. `stale_summaries` finds the rows
that no longer match their team (missing, built from a standing that does not fit its audit,
scored with another tree than the audit now is, or out of step with the audits table after a
write that bypassed the store); the console works those out again and refreshes them.

An audit with no answer at all is not started whatever its tree (`assess`), so its summary
needs no kept standing (`scored_digest` is then NULL).

Which standing counts: `status`, `answered`, `total` and `percent` are the current (latest)
audit's; `counted_status` and `result` are the latest finished audit's, else the current
one's (what the national picture counts and the table's "latest result" shows).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlite_utils

from bot.store.connection import write_transaction
from bot.store.rows import (
    FINISHED,
    JOINED_AUDIT_COLUMNS,
    TEAM_COLUMNS,
    joined_audit,
    joined_link,
    parse_time,
    select,
    team_row,
    typed_row,
    utc_now,
)

NOT_STARTED = "not_started"

_COLUMNS = """
    team_id, audit_id, audit_status, audit_updated, audit_tree_digest, audit_tree_version,
    audits, status, answered, total, percent, last_activity, contributors,
    finished_audit_id, finished_tree_digest, finished_tree_version,
    counted_status, result, scored_digest, finished_scored_digest, fresh
"""

# Standing.percent in SQL: 100 once finished, else answered / total rounded half to even as
# Python's round() does (exact in integers: 100 * answered and total are whole numbers).
_PERCENT = """
    CASE
        WHEN s_status = 'finished' THEN 100
        WHEN s_total > 0 THEN (100 * s_answered) / s_total + CASE
            WHEN 2 * ((100 * s_answered) % s_total) > s_total THEN 1
            WHEN 2 * ((100 * s_answered) % s_total) = s_total
                THEN ((100 * s_answered) / s_total) % 2
            ELSE 0 END
        ELSE 0
    END
"""

# `chosen` is MATERIALIZED so each team's audit ids are looked up once, not once per use.
_REFRESH = f"""
WITH chosen AS MATERIALIZED (
    SELECT teams.id AS team_id, teams.created,
           (SELECT max(id) FROM audits WHERE team_id = teams.id) AS audit_id,
           (SELECT max(id) FROM audits WHERE team_id = teams.id AND status = '{FINISHED}')
               AS finished_id,
           (SELECT count(*) FROM audits WHERE team_id = teams.id) AS audit_count
    FROM teams WHERE {{where}}
),
known AS (
    SELECT chosen.*,
           chosen.audit_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM answers WHERE answers.audit_id = chosen.audit_id)
               AS empty
    FROM chosen
),
read AS (
    SELECT known.*,
           cur.status AS a_status, cur.updated AS a_updated,
           cur.tree_digest AS a_digest, cur.tree_version AS a_version,
           CASE WHEN empty THEN '{NOT_STARTED}'
               ELSE coalesce(json_extract(cs.standing, '$.status'), '{NOT_STARTED}') END
               AS s_status,
           CASE WHEN empty THEN 0 ELSE coalesce(json_extract(cs.standing, '$.answered'), 0) END
               AS s_answered,
           CASE WHEN empty THEN 0 ELSE coalesce(json_extract(cs.standing, '$.total'), 0) END
               AS s_total,
           CASE WHEN empty THEN NULL ELSE json_extract(cs.standing, '$.result') END AS s_result,
           CASE WHEN empty THEN NULL ELSE cs.tree_digest END AS s_digest,
           empty OR (cs.audit_id IS NOT NULL AND cs.status = cur.status
               AND (cs.updated = cur.updated OR same_moment(cs.updated, cur.updated)))
               AS current_fits,
           fin.tree_digest AS f_digest, fin.tree_version AS f_version,
           json_extract(fs.standing, '$.status') AS f_status,
           json_extract(fs.standing, '$.result') AS f_result,
           fs.tree_digest AS f_scored,
           fs.audit_id IS NOT NULL AND fs.status = fin.status
               AND (fs.updated = fin.updated OR same_moment(fs.updated, fin.updated))
               AS finished_fits,
           (SELECT count(*) FROM (
               SELECT DISTINCT respondent_id FROM answers
               WHERE answers.audit_id = known.audit_id AND respondent_id IS NOT NULL
           )) AS people
    FROM known
    LEFT JOIN audits AS cur ON cur.id = known.audit_id
    LEFT JOIN standings AS cs ON cs.audit_id = known.audit_id
    LEFT JOIN audits AS fin ON fin.id = known.finished_id
    LEFT JOIN standings AS fs ON fs.audit_id = known.finished_id
)
INSERT OR REPLACE INTO team_summaries ({_COLUMNS})
SELECT team_id, audit_id, a_status, a_updated, a_digest, a_version,
       audit_count, s_status, s_answered, s_total, {_PERCENT},
       coalesce(a_updated, created), people,
       finished_id, f_digest, f_version,
       CASE WHEN finished_id IS NULL THEN s_status ELSE coalesce(f_status, '{NOT_STARTED}') END,
       CASE WHEN finished_id IS NULL THEN s_result ELSE f_result END,
       s_digest, f_scored,
       (audit_id IS NULL OR current_fits) AND (finished_id IS NULL OR finished_fits)
FROM read
"""


def _same_moment(first: str | None, second: str | None) -> bool:
    """True for two stored times that name the same moment however spelt (a kept standing is
    keyed by `stamp`, an audit row written by other means may spell its time otherwise)."""
    return first is not None and second is not None and parse_time(first) == parse_time(second)


def _use_functions(db: sqlite_utils.Database) -> None:
    """Give the connection the SQL functions summaries use, once (defining a function expires
    every statement the connection has prepared, so doing it per call would re-prepare all).

    casefold: Python's str.casefold, so SQL sorts and searches names as the console always has.
    """
    if getattr(db, "_summary_functions", False):
        return
    db.conn.create_function("same_moment", 2, _same_moment, deterministic=True)
    db.conn.create_function("casefold", 1, str.casefold, deterministic=True)
    db._summary_functions = True


_REFRESH_ALL = _REFRESH.format(where="1")
_REFRESH_SOME = _REFRESH.format(where="teams.id IN (SELECT value FROM json_each(?))")


def refresh_summaries(db: sqlite_utils.Database, team_ids: Iterable[int] | None = None) -> None:
    """Work out the summary rows of these teams (None: every team) from the stored rows.

    One statement, inside the caller's write transaction when there is one (the write that
    changed the team: no savepoint is needed for a single statement), else in its own.
    """
    if team_ids is None:
        sql, params = _REFRESH_ALL, []
    else:
        ids = sorted({int(team_id) for team_id in team_ids})
        if not ids:
            return
        sql, params = _REFRESH_SOME, [json.dumps(ids)]
    _use_functions(db)
    if db.conn.in_transaction:
        db.conn.execute(sql, params)
        return
    with write_transaction(db):
        db.conn.execute(sql, params)


def refresh_audit_summaries(db: sqlite_utils.Database, audit_ids: Iterable[int]) -> None:
    """Refresh the summaries of the teams these audits belong to."""
    ids = sorted({int(audit_id) for audit_id in audit_ids})
    if not ids:
        return
    rows = db.conn.execute(
        "SELECT DISTINCT team_id FROM audits WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    )
    refresh_summaries(db, [team_id for (team_id,) in rows])


def team_summary(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """Return the team's summary row as stored, or None."""
    rows = select(db, "SELECT * FROM team_summaries WHERE team_id = ?", [team_id])
    return rows[0] if rows else None


def summary_trees(db: sqlite_utils.Database, current_digest: str) -> list[dict]:
    """Return each (tree digest, version, audit status) the summaries' audits are on, other
    than the current tree: the few for which the tree they are scored with must be asked."""
    return select(
        db,
        f"""
        SELECT DISTINCT audit_tree_digest AS tree_digest, audit_tree_version AS tree_version,
               audit_status AS status
        FROM team_summaries WHERE audit_tree_digest != :current
        UNION
        SELECT DISTINCT finished_tree_digest, finished_tree_version, '{FINISHED}'
        FROM team_summaries WHERE finished_tree_digest != :current
        """,
        {"current": current_digest},
    )


def stale_summaries(db: sqlite_utils.Database, scored_with: dict[str, str]) -> list[int]:
    """Return the ids of teams whose summary is missing or no longer matches the team.

    `scored_with` maps "<tree digest> <audit status>" to the digest of the tree such an audit
    is scored with, for the trees `summary_trees` named; any other audit is scored with its
    own tree. A summary is stale when it is missing, was built from a standing that did not
    fit its audit, from a standing of another tree than that one, or when the team's latest
    (or latest finished) audit has changed since it was built.
    """
    expected_current = """coalesce(
        json_extract(:scored, '$."' || s.audit_tree_digest || ' ' || s.audit_status || '"'),
        s.audit_tree_digest)"""
    expected_finished = f"""coalesce(
        json_extract(:scored, '$."' || s.finished_tree_digest || ' {FINISHED}"'),
        s.finished_tree_digest)"""
    rows = db.conn.execute(
        f"""
        SELECT teams.id FROM teams
        LEFT JOIN team_summaries AS s ON s.team_id = teams.id
        LEFT JOIN audits AS cur ON cur.id = s.audit_id
        WHERE s.team_id IS NULL OR NOT s.fresh
           OR s.audit_id IS NOT (SELECT max(id) FROM audits WHERE team_id = teams.id)
           OR cur.updated IS NOT s.audit_updated OR cur.status IS NOT s.audit_status
           OR cur.tree_digest IS NOT s.audit_tree_digest
           OR s.finished_audit_id IS NOT (
               SELECT max(id) FROM audits WHERE team_id = teams.id AND status = '{FINISHED}')
           OR (s.scored_digest IS NOT NULL AND s.scored_digest IS NOT {expected_current})
           OR (s.finished_audit_id IS NOT NULL
               AND s.finished_scored_digest IS NOT {expected_finished})
        """,
        {"scored": json.dumps(scored_with)},
    )
    return [team_id for (team_id,) in rows]


def summarised_audits(db: sqlite_utils.Database, team_ids: Iterable[int]) -> list[dict]:
    """Return the audits a summary is built from: each team's latest and latest finished."""
    ids = json.dumps(sorted({int(team_id) for team_id in team_ids}))
    rows = select(
        db,
        f"""
        SELECT * FROM audits WHERE id IN (
            SELECT max(id) FROM audits WHERE team_id IN (SELECT value FROM json_each(:ids))
            GROUP BY team_id
            UNION
            SELECT max(id) FROM audits WHERE team_id IN (SELECT value FROM json_each(:ids))
            AND status = '{FINISHED}' GROUP BY team_id
        )
        """,
        {"ids": ids},
    )
    return [typed_row(row) for row in rows]


def summarised_teams(db: sqlite_utils.Database, summaries: Sequence[dict]) -> dict[int, dict]:
    """Return what the progress table shows of each summarised team beyond its summary.

    By team id: {"team", "audit" (latest, or None), "latest_finished" (or None), "link" (the
    live link, or None)}, in one query however many teams.
    """
    audit_columns = ", ".join(
        f"{alias}.{column} AS {alias}_{column}"
        for alias in ("cur", "fin")
        for column in ("id", *JOINED_AUDIT_COLUMNS)
    )
    rows = select(
        db,
        f"""
        SELECT teams.*, {audit_columns},
               links.id AS l_id, links.token_hint AS l_hint, links.created AS l_created,
               links.expires AS l_expires
        FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        LEFT JOIN audits AS cur ON cur.id = s.audit_id
        LEFT JOIN audits AS fin ON fin.id = s.finished_audit_id
        LEFT JOIN links ON links.id = (
            SELECT max(id) FROM links WHERE team_id = teams.id AND revoked IS NULL)
        WHERE teams.id IN (SELECT value FROM json_each(?))
        """,
        [json.dumps([summary["team_id"] for summary in summaries])],
    )
    now = utc_now()
    return {
        row["id"]: {
            "team": team_row({column: row[column] for column in TEAM_COLUMNS}),
            "audit": joined_audit(row, "cur"),
            "latest_finished": joined_audit(row, "fin"),
            "link": joined_link(row, now),
        }
        for row in rows
    }


# -- the progress table ---------------------------------------------------------------------

NOT_RECORDED = "not_recorded"  # console.national.NOT_RECORDED: a team with no nation
_NATION_OF_TEAM = f"coalesce(nullif(teams.nation, ''), '{NOT_RECORDED}')"
_SEARCH_TEXT = (
    "casefold(coalesce(teams.name, '') || ' ' || coalesce(teams.area, '') || ' ' "
    "|| coalesce(teams.contact_email, ''))"
)


def _where(
    *,
    include_archived: bool,
    nation: str,
    status: str,
    result: str,
    words: Sequence[str],
) -> tuple[str, list[Any]]:
    """The WHERE clause of the approved teams matching the filters (pending ones left out)."""
    clauses = ["NOT (teams.pending AND teams.archived IS NULL)"]
    params: list[Any] = []
    if not include_archived:
        clauses.append("teams.archived IS NULL")
    if nation:
        clauses.append(f"{_NATION_OF_TEAM} = ?")
        params.append(nation)
    if status:
        clauses.append("s.status = ?")
        params.append(status)
    if result:
        clauses.append("s.result IS ?")
        params.append(result)
    for word in words:
        clauses.append(f"instr({_SEARCH_TEXT}, ?) > 0")
        params.append(word)
    return " AND ".join(clauses), params


def progress_counts(
    db: sqlite_utils.Database, *, include_archived: bool, **filters: Any
) -> tuple[int, int]:
    """Return (teams in the table, teams matching the filters), from the summaries."""
    _use_functions(db)
    every, every_params = _where(
        include_archived=include_archived, nation="", status="", result="", words=()
    )
    matching, params = _where(include_archived=include_archived, **filters)
    row = db.conn.execute(
        f"""
        SELECT count(*), coalesce(sum(CASE WHEN {matching} THEN 1 ELSE 0 END), 0)
        FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        WHERE {every}
        """,
        [*params, *every_params],
    ).fetchone()
    return row[0], row[1]


def _sort_key(sort: str, orders: Mapping[str, Sequence[str]]) -> tuple[list[str], list[Any]]:
    """The SQL of a progress-table sort key (`console.national.SORT_KEYS`) and its parameters.

    `orders` lists the nations, statuses and results in the order they sort by; a value not
    listed sorts after them all.
    """

    def position(expression: str, keys: Sequence[str]) -> tuple[str, list[Any]]:
        cases = " ".join("WHEN ? THEN ?" for _ in keys)
        params = [value for index, key in enumerate(keys) for value in (key, index)]
        return f"CASE {expression} {cases} ELSE ? END", [*params, len(keys)]

    if sort == "nation":
        expression, params = position(_NATION_OF_TEAM, orders["nation"])
        return [expression], params
    if sort == "status":
        expression, params = position("s.status", orders["status"])
        return [expression, "s.percent"], params
    if sort == "result":
        expression, params = position("s.result", orders["result"])
        return [expression], params
    if sort in ("last_activity", "contributors"):
        return [f"s.{sort}"], []
    return ["casefold(teams.name)"], []


def progress_page(
    db: sqlite_utils.Database,
    *,
    include_archived: bool,
    sort: str,
    orders: Mapping[str, Sequence[str]],
    descending: bool,
    limit: int,
    offset: int,
    **filters: Any,
) -> list[dict]:
    """Return one page of matching teams' summaries (with `team_id`), sorted in SQL.

    `sort` names the key (`_sort_key`); ties go by name with case folded, then as the name is
    stored, then id, always ascending (as a stable sort by name, then by the key, leaves them).
    """
    _use_functions(db)
    where, params = _where(include_archived=include_archived, **filters)
    direction = "DESC" if descending else "ASC"
    keys, order_params = _sort_key(sort, orders)
    order_sql = ", ".join(f"{key} {direction}" for key in keys)
    return select(
        db,
        f"""
        SELECT s.* FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        WHERE {where}
        ORDER BY {order_sql}, casefold(teams.name), teams.name COLLATE NOCASE, teams.id
        LIMIT ? OFFSET ?
        """,
        [*params, *order_params, limit, offset],
    )


def pending_summaries(db: sqlite_utils.Database) -> list[dict]:
    """Return the summaries of sign-ups awaiting approval, by name."""
    return select(
        db,
        """
        SELECT s.* FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        WHERE teams.pending AND teams.archived IS NULL
        ORDER BY teams.name COLLATE NOCASE, teams.id
        """,
    )


# -- the national picture -------------------------------------------------------------------

_COUNTED = "teams.archived IS NULL AND NOT teams.pending"
_FINISHED_WITH_RESULT = f"s.counted_status = '{FINISHED}' AND s.result IS NOT NULL"


def national_counts(db: sqlite_utils.Database, *, targeted: str) -> dict[str, list[tuple]]:
    """Count the teams the national picture counts, by GROUP BY over the summaries.

    Returns {"results": [(nation or None, counted status, result, teams)],
    "descriptors": [(descriptor id, status, finished teams)],
    "flags": [(flag id, finished teams with it, those with the result `targeted`)]}; a team's
    descriptors and flags are those of the standing kept for its latest finished audit.
    """
    results = db.conn.execute(
        f"""
        SELECT teams.nation, s.counted_status, s.result, count(*)
        FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        WHERE {_COUNTED}
        GROUP BY teams.nation, s.counted_status, s.result
        """
    ).fetchall()
    descriptors = db.conn.execute(
        f"""
        SELECT d.key, d.value, count(*)
        FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        JOIN standings AS kept ON kept.audit_id = s.finished_audit_id,
             json_each(kept.standing, '$.descriptors') AS d
        WHERE {_COUNTED} AND {_FINISHED_WITH_RESULT}
        GROUP BY d.key, d.value
        """
    ).fetchall()
    flags = db.conn.execute(
        f"""
        SELECT f.value, count(DISTINCT s.team_id),
               count(DISTINCT CASE WHEN s.result = ? THEN s.team_id END)
        FROM teams JOIN team_summaries AS s ON s.team_id = teams.id
        JOIN standings AS kept ON kept.audit_id = s.finished_audit_id,
             json_each(kept.standing, '$.flags') AS f
        WHERE {_COUNTED} AND {_FINISHED_WITH_RESULT}
        GROUP BY f.value
        """,
        [targeted],
    ).fetchall()
    return {"results": results, "descriptors": descriptors, "flags": flags}
