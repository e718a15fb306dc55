"""Exports that open well in a spreadsheet: an .xlsx beside every CSV, typed, never a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly

UK = ZoneInfo("Europe/London")


@pytest.fixture
def console(app):
    client = app.test_client()
    sign_in_directly(client, make_admin(app))
    return client


def sheet_rows(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = sheet.iter_rows()
    return [cell.value for cell in header], rows


def test_the_audits_workbook_has_typed_cells_and_text_shown_as_typed(app, console):
    with app.app_context():
        db = get_db()
        team_id, _ = store.create_team(
            db, '=HYPERLINK("http://x") Team', nation="wales", area="-2 posts vacant"
        )
        pending_id, _ = store.create_team(db, "+Pending Team", self_registered=True)
        store.revoke_link(db, pending_id)
        created = store.get_team(db, team_id)["created"]
    columns, rows = sheet_rows(console.get("/admin/exports/audits.xlsx"))
    by_team = {row[columns.index("team_id")].value: row for row in rows}
    row = {column: cell for column, cell in zip(columns, by_team[team_id], strict=True)}
    assert row["team_name"].value == '=HYPERLINK("http://x") Team'
    assert row["team_name"].data_type == "s"  # text, never a formula
    assert row["area"].value == "-2 posts vacant"
    assert row["team_created"].is_date
    assert row["team_created"].value == created.astimezone(UK).replace(tzinfo=None, microsecond=0)
    assert row["percent_answered"].value == 0 and row["percent_answered"].data_type == "n"
    assert row["self_registered"].value is False
    assert (row["approval"].value, row["link_status"].value) == ("approved", "live")
    pending = dict(zip(columns, (cell.value for cell in by_team[pending_id]), strict=True))
    assert (pending["approval"], pending["link_status"]) == ("pending", "revoked")


def test_csv_times_are_uk_time_with_their_offset(app, console):
    with app.app_context():
        team_id, _ = store.create_team(get_db(), "Summer Team")
        get_db().execute(
            "UPDATE teams SET created = ? WHERE id = ?",
            [store.stamp(datetime(2026, 6, 1, 10, 0, tzinfo=UTC)), team_id],
        )
    text = console.get("/admin/exports/audits.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["team_created"] == "2026-06-01T11:00:00+01:00"  # as the console shows it
    assert row["link_status"] == "live"


def test_every_csv_has_its_workbook_beside_it(app, console):
    with app.app_context():
        store.create_team(get_db(), "Alder Team")
    console.post("/admin/teams/new", data={"name": "Birch Team", "nation": "england"})
    columns, _ = sheet_rows(console.get("/admin/exports/answers.xlsx"))
    assert columns
    assert console.get("/admin/exports/national.xlsx").status_code == 404  # nothing published
    assert console.post("/admin/national/releases/new").status_code == 302
    columns, rows = sheet_rows(console.get("/admin/exports/national.xlsx"))
    assert columns == [
        "release_date",
        "table",
        "row",
        "row_label",
        "column",
        "column_label",
        "count",
    ]
    assert rows
    columns, rows = sheet_rows(console.get("/admin/record.xlsx"))
    assert columns == ["at", "admin_email", "action", "team_id", "team_name", "detail"]
    assert rows[0][columns.index("at")].is_date
    assert rows[0][columns.index("detail")].value == "Added the team Birch Team"
