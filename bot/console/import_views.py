"""Adding teams from a spreadsheet: preview, create, then a page of the import that survives
a reload (post, redirect, get), with a CSV or .xlsx of fresh links and every team's invitation.

Routes on the console's blueprint (`bot.console.views.bp`). No link is kept: the links in
a download are issued when it is made, and an invitation carries one issued for it.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from bot import store
from bot.console import bulk, national
from bot.console.auth import EMAIL_PATTERN
from bot.console.exports import csv_lines
from bot.console.recording import record, recorded
from bot.console.views import SQLITE_MAX_ID, ActionForm, attachment, bp
from bot.console.workbook import XLSX_MIMETYPE, workbook_bytes
from bot.db import get_db
from bot.links import audit_link
from bot.store import imports, outbox

LINK_COLUMNS = ["team_id", "team_name", "nation", "contact_name", "contact_email", "link"]


class ImportForm(FlaskForm):
    file = FileField("CSV file")
    csv_text = HiddenField()


def _import_page(form, parsed: bulk.ParsedFile | None = None, status: int = 200):
    by_line: dict[int, list[str]] = {}
    for error in parsed.errors if parsed else ():
        by_line.setdefault(error.line, []).append(error.message)
    return render_template(
        "admin/import.html",
        form=form,
        parsed=parsed,
        rows=parsed.rows if parsed else [],
        errors=parsed.errors if parsed else [],
        error_rows=sorted(by_line.items()),
    ), status


@bp.route("/teams/import", methods=["GET", "POST"])
def import_teams():
    form = ImportForm()
    if request.method == "GET":
        return _import_page(form)
    if not form.validate_on_submit():
        return _import_page(form, status=422)
    upload = request.files.get("file")
    data = upload.read() if upload else (form.csv_text.data or "").encode("utf-8")
    if not data.strip():
        form.file.errors = ["Choose a CSV file"]
        return _import_page(form, status=422)
    db = get_db()
    parsed = bulk.parse_teams(
        data,
        nations=national.NATIONS,
        email_pattern=EMAIL_PATTERN,
        existing_names=imports.team_names(db),
    )
    if parsed.errors:
        return _import_page(form, parsed, status=422)
    if request.form.get("confirmed") != "yes" or not parsed.rows:
        return _import_page(form, parsed)
    with recorded("import", detail=f"Added {len(parsed.rows)} teams from a spreadsheet"):
        import_id = _import(db, parsed)
    current_app.logger.info(
        "Imported %s teams from a file (import %s)", len(parsed.rows), import_id
    )
    return redirect(url_for(".import_result", import_id=import_id))


def _import(db, parsed: bulk.ParsedFile) -> int:
    return imports.import_teams(
        db,
        [
            {
                "name": row.name,
                "nation": row.nation,
                "contact_email": row.contact_email,
                "contact_name": row.contact_name,
            }
            for row in parsed.rows
        ],
        admin_id=g.admin["id"],
    )


def _import_or_404(import_id: int) -> dict:
    found = imports.get_import(get_db(), import_id) if import_id <= SQLITE_MAX_ID else None
    if found is None:
        abort(404)
    return found


@bp.get("/teams/imports/<int:import_id>")
def import_result(import_id: int):
    batch = _import_or_404(import_id)
    team_ids = [team["id"] for team in batch["team_list"]]
    return render_template(
        "admin/import_links.html",
        batch=batch,
        mail=outbox.latest_messages(get_db(), team_ids),
        emailable=sum(1 for t in batch["team_list"] if t["contact_email"] and not t["archived"]),
        form=ActionForm(formdata=None),
    )


def _fresh_link_records(import_id: int, kind: str) -> list[dict] | None:
    """Issue every team of the import not archived a new link, recorded; None if the form is
    not valid (the page again)."""
    batch = _import_or_404(import_id)
    if not ActionForm().validate_on_submit():
        return None
    teams = [team for team in batch["team_list"] if not team["archived"]]
    with store.write_transaction(get_db()):
        tokens = imports.fresh_links(get_db(), [team["id"] for team in teams])
        for team in teams:
            record("reissue_link", team_id=team["id"], detail=f"Issued a new link in {kind}")
    current_app.logger.info("Issued %s fresh links for import %s", len(teams), import_id)
    return [
        {
            "team_id": team["id"],
            "team_name": team["name"],
            "nation": team["nation"],
            "contact_name": team["contact_name"],
            "contact_email": team["contact_email"],
            "link": audit_link(tokens[team["id"]]),
        }
        for team in teams
    ]


def _links_download(body: bytes | str, extension: str, mimetype: str) -> Response:
    return attachment(body, f"self-audit-links-{date.today().isoformat()}.{extension}", mimetype)


@bp.post("/teams/imports/<int:import_id>/links.csv")
def import_links_csv(import_id: int):
    records = _fresh_link_records(import_id, "a CSV of links")
    if records is None:
        return redirect(url_for(".import_result", import_id=import_id))
    return _links_download("".join(csv_lines(LINK_COLUMNS, records)), "csv", "text/csv")


@bp.post("/teams/imports/<int:import_id>/links.xlsx")
def import_links_xlsx(import_id: int):
    records = _fresh_link_records(import_id, "a spreadsheet of links")
    if records is None:
        return redirect(url_for(".import_result", import_id=import_id))
    body = workbook_bytes("Links", LINK_COLUMNS, records)
    return _links_download(body, "xlsx", XLSX_MIMETYPE)
