"""Adding teams from the spreadsheet people have: a preview, then a page that survives a reload."""

import html
import io
import re

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly

GOOD = (
    "name,nation,contact email,contact name\r\n"
    "Alder Parent-Infant Team,England,alder@example.org,Ann Lee\r\n"
    "Bedw Tîm Rhiant-Baban,Cymru,bedw@example.org,\r\n"
    "Clyde Team,Scotland,,\r\n"
)


def console_for(app):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    return console


def upload(console, data, **extra):
    data = data.encode("utf-8") if isinstance(data, str) else data
    form = {"file": (io.BytesIO(data), "teams.csv"), **extra}
    return console.post("/admin/teams/import", data=form, content_type="multipart/form-data")


def confirm(console, preview):
    text = re.search(r'name="csv_text" value="([^"]*)"', preview.text).group(1)
    return console.post(
        "/admin/teams/import", data={"csv_text": html.unescape(text), "confirmed": "yes"}
    )


def team_names(app):
    with app.app_context():
        return sorted(item["team"]["name"] for item in store.team_overview(get_db()))


def test_an_import_is_previewed_created_and_its_page_survives_a_reload(app):
    console = console_for(app)
    preview = upload(console, GOOD)
    assert preview.status_code == 200
    assert "Check the 3 teams below" in preview.text and "Read as UTF-8" in preview.text
    assert "Ann Lee, alder@example.org" in preview.text
    assert team_names(app) == []  # nothing until confirmed
    done = confirm(console, preview)
    assert done.status_code == 302  # post, redirect, get
    page = console.get(done.headers["Location"])
    assert "Added 3 teams" in page.text and "Email every team its invitation" in page.text
    assert console.get(done.headers["Location"]).status_code == 200  # a reload re-posts nothing
    assert team_names(app) == ["Alder Parent-Infant Team", "Bedw Tîm Rhiant-Baban", "Clyde Team"]
    links_csv = console.post(done.headers["Location"] + "/links.csv")
    assert links_csv.headers["Cache-Control"] == "no-store"
    rows = links_csv.text.lstrip("\ufeff").splitlines()[1:]
    assert len(rows) == 3
    for row in rows:
        name, link = row.split(",")[1], row.split(",")[-1]
        opened = app.test_client().get(link.replace("http://localhost", ""), follow_redirects=True)
        assert opened.status_code == 200 and html.escape(name) in opened.text
    again = upload(console, GOOD)
    assert "3 teams in the file already exist" in again.text
    assert "nothing to add" in again.text and 'name="confirmed"' not in again.text
    with app.app_context():
        wales = [i["team"] for i in store.team_overview(get_db()) if i["team"]["nation"] == "wales"]
    assert wales[0]["contact_email"] == "bedw@example.org"


def test_every_imported_team_is_emailed_its_invitation_after_one_confirmation(app):
    console = console_for(app)
    location = confirm(console, upload(console, GOOD)).headers["Location"]
    import_id = location.rsplit("/", 1)[1]
    asked = console.get(f"/admin/mail/invitations?import={import_id}&back=import-{import_id}")
    assert "Send 2 invitations?" in asked.text and "Clyde Team: no contact email" in asked.text
    sent = console.post(
        "/admin/mail/invitations",
        data={
            "team": re.findall(r'name="team" value="(\d+)"', asked.text),
            "confirmed": "yes",
            "back": f"import-{import_id}",
        },
    )
    assert sent.headers["Location"] == location
    assert console.get(location).text.count("Invitation queued") == 2


def test_a_file_with_a_bad_row_creates_nothing_and_names_each_bad_row(app, make_team):
    make_team("Existing Team", nation="england")
    console = console_for(app)
    bad = (
        GOOD
        + ",England,no-name@example.org,\r\n"
        + "Dee Team,Atlantis,dee@example.org,\r\n"
        + "Existing team,England,,\r\n"
        + "Alder Parent-Infant Team,England,,\r\n"
        + "Esk Team,England,not an email,\r\n"
    )
    response = upload(console, bad)
    assert response.status_code == 422
    assert "No team was added" in response.text
    assert "Row 5:" in response.text and "Enter the team’s name" in response.text
    assert "Row 6:" in response.text and "not “Atlantis”" in response.text
    assert "Row 8:" in response.text and "is also on row 2" in response.text
    assert "Row 9:" in response.text and "“not an email” is not an email address" in response.text
    assert "Row 7:" not in response.text  # a team that exists is left out, not an error
    assert team_names(app) == ["Existing Team"]
    again = console.post("/admin/teams/import", data={"csv_text": bad, "confirmed": "yes"})
    assert again.status_code == 422
    assert team_names(app) == ["Existing Team"]


WELSH_ROWS = [("Tîm Tŵr Café", "Cymru"), ("Yr Alban Team", "Alba"), ("Béal Team", "N. Ireland")]


def sheet(separator=",", line_end="\r\n", rows=WELSH_ROWS):
    lines = [separator.join(("Team name", "Nation", "Email", "Phone"))]
    lines += [separator.join((name, nation, "", "0123")) for name, nation in rows]
    return line_end.join(lines) + line_end


LATIN_ROWS = [("Café Team", "Wales"), ("Crème Team", "NI")]


@pytest.mark.parametrize(
    ("data", "encoding", "names"),
    [
        ("\ufeff".encode() + sheet().encode("utf-8"), "UTF-8 (with a byte-order mark)", WELSH_ROWS),
        (sheet("\t").encode("utf-16"), "UTF-16", WELSH_ROWS),  # Excel's "Unicode Text"
        (sheet(";", "\n").encode("utf-8"), "UTF-8", WELSH_ROWS),
        (sheet(rows=LATIN_ROWS).encode("cp1252"), "Windows-1252", LATIN_ROWS),
        (sheet(line_end="\r", rows=LATIN_ROWS).encode("mac_roman"), "Mac Roman", LATIN_ROWS),
    ],
    ids=["utf-8-bom", "utf-16-tabs", "semicolons-lf", "windows-1252", "mac-cr"],
)
def test_files_as_spreadsheets_save_them_are_read(app, data, encoding, names):
    preview = upload(console_for(app), data)
    assert preview.status_code == 200, preview.text[:3000]
    assert f"Read as {encoding}" in preview.text
    for name, _nation in names:
        assert html.escape(name) in preview.text
    assert "These columns are not imported: Phone" in preview.text


def test_a_windows_1252_file_that_lost_welsh_letters_is_flagged():
    from bot.console import bulk, national
    from bot.console.auth import EMAIL_PATTERN

    data = "name,nation\r\nT\xeem T?r,Wales\r\n".encode("cp1252")
    parsed = bulk.parse_teams(data, nations=national.NATIONS, email_pattern=EMAIL_PATTERN)
    assert parsed.encoding == "Windows-1252"
    assert any("has no ŵ or ŷ" in warning for warning in parsed.warnings)


def test_limits_give_clear_messages_never_a_500(app):
    console = console_for(app)
    long_cell = upload(console, "name,nation\r\n" + "x" * 140_000 + ",England\r\n")
    assert long_cell.status_code == 422
    assert "could not be read" in long_cell.text or "characters long" in long_cell.text
    wide = upload(console, "name,nation\r\nAlder," + "England" * 200 + "\r\n")
    assert wide.status_code == 422 and "at most 1,000 are allowed" in wide.text
    too_big = upload(console, b"name,nation\r\n" + b"x" * 300_000)
    assert too_big.status_code == 413
    assert "What you sent was too long to save" in too_big.text  # the site's own 413 page
    broken = upload(console, b"\x00\xff\xfe\x00" * 10)
    assert broken.status_code in (200, 422)
    assert team_names(app) == []


def test_the_links_come_as_a_workbook_of_text_cells_each_opening_its_own_team(app):
    console = console_for(app)
    odd = GOOD + '=HYPERLINK("http://x") Team,England,,\r\n-2 posts Team,Wales,,\r\n'
    location = confirm(console, upload(console, odd)).headers["Location"]
    old_csv = console.post(location + "/links.csv").text.lstrip("\ufeff").splitlines()[1:]
    page = console.get(location).text
    assert 'formaction="' + location + '/links.xlsx"' in page
    workbook = console.post(location + "/links.xlsx")
    assert workbook.status_code == 200 and workbook.headers["Cache-Control"] == "no-store"
    assert workbook.mimetype.endswith("spreadsheetml.sheet")
    assert workbook.headers["Content-Disposition"].endswith('.xlsx"')
    header, *rows = load_workbook(io.BytesIO(workbook.data)).active.iter_rows()
    columns = [cell.value for cell in header]
    assert columns == ["team_id", "team_name", "nation", "contact_name", "contact_email", "link"]
    cells = [dict(zip(columns, row, strict=True)) for row in rows]
    names = [row["team_name"].value for row in cells]
    assert '=HYPERLINK("http://x") Team' in names and "-2 posts Team" in names
    assert all(row["team_name"].data_type == "s" for row in cells)  # never a formula
    assert all(row["team_id"].data_type == "n" for row in cells)  # numbers as numbers
    for row in cells:
        opened = app.test_client().get(
            row["link"].value.replace("http://localhost", ""), follow_redirects=True
        )
        assert opened.status_code == 200 and str(escape(row["team_name"].value)) in opened.text
    for line in old_csv:  # the workbook issued new links: the CSV's are dead
        dead = app.test_client().get(line.split(",")[-1].replace("http://localhost", ""))
        assert dead.status_code == 404
    record = console.get("/admin/record").text
    assert record.count("Issued a new link in a spreadsheet of links") == len(cells)
