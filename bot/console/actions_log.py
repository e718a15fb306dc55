"""The record of console actions (`bot.console.recording`): on each team's page, and on a
page of its own with a CSV."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from bot.console import exports
from bot.console.exports import csv_lines
from bot.console.views import attachment, bp
from bot.db import get_db
from bot.store import accounts

RECORD_COLUMNS = ["at", "admin_email", "action", "team_id", "team_name", "detail"]


@bp.app_template_global()
def team_actions(team_id: int) -> list[dict]:
    """The console actions on one team, newest first, for its page."""
    return accounts.actions(get_db(), team_id=team_id, limit=50)


@bp.get("/record")
def action_record():
    before = request.args.get("before", "")
    rows = accounts.actions(
        get_db(), before=int(before) if before.isdigit() and len(before) < 12 else None
    )
    return render_template(
        "admin/record.html",
        rows=rows,
        older=rows[-1]["id"] if len(rows) == accounts.PAGE_SIZE else None,
    )


def _record_rows() -> list[dict]:
    return [
        {**row, "at": exports.uk_time(row["at"])} for row in accounts.actions(get_db(), limit=None)
    ]


@bp.get("/record.csv")
def action_record_csv():
    return attachment(
        "".join(csv_lines(RECORD_COLUMNS, _record_rows())),
        f"self-audit-console-record-{date.today().isoformat()}.csv",
        "text/csv",
    )
