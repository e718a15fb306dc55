"""The .xlsx beside every CSV export: audits, answers, the national figures, the record."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, abort, current_app

from bot import store
from bot.console import exports
from bot.console.actions_log import RECORD_COLUMNS
from bot.console.views import attachment, bp
from bot.console.workbook import XLSX_MIMETYPE, workbook_bytes
from bot.db import get_db
from bot.national.downloads import LONG_COLUMNS, long_records
from bot.national.release import Release
from bot.store import accounts
from bot.trees import current_tree

AUDIT_TIMES = ("team_created", "team_archived", "started", "updated", "finished")


def _download(kind: str, body: bytes) -> Response:
    return attachment(body, f"self-audit-{kind}-{date.today().isoformat()}.xlsx", XLSX_MIMETYPE)


@bp.get("/exports/audits.xlsx")
def export_audits_xlsx():
    tree = current_tree()
    with store.read_snapshot(current_app.config["DB"]) as db:
        body = workbook_bytes(
            "Audits",
            exports.audit_columns(tree),
            exports.audit_records(db, tree),
            time_columns=AUDIT_TIMES,
        )
    return _download("audits", body)


@bp.get("/exports/answers.xlsx")
def export_answers_xlsx():
    tree = current_tree()
    with store.read_snapshot(current_app.config["DB"]) as db:
        body = workbook_bytes(
            "Answers",
            exports.ANSWER_COLUMNS,
            exports.answer_records(db, tree),
            time_columns=("answered_at",),
            cells={"value": lambda value: json.dumps(value, ensure_ascii=False)},
        )
    return _download("answers", body)


@bp.get("/exports/national.xlsx")
def export_national_xlsx():
    """The latest published release, one figure a row, as the national CSV gives it."""
    published = store.national_releases(get_db())
    if not published:
        abort(404)
    release = Release.from_data(published[-1]["data"], published[-1]["id"])
    return _download(
        "national-figures",
        workbook_bytes("National figures", LONG_COLUMNS, long_records(release)),
    )


@bp.get("/record.xlsx")
def action_record_xlsx():
    rows = accounts.actions(get_db(), limit=None)
    return _download(
        "console-record",
        workbook_bytes("Console record", RECORD_COLUMNS, rows, time_columns=("at",)),
    )
