"""Bulk import of teams from a CSV: a preview, per-row errors, nothing made until confirmed."""

import io
import re

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly

GOOD = (
    "name,nation,contact email\r\n"
    "Alder Parent-Infant Team,England,alder@example.org\r\n"
    "Bedw Tîm Rhiant-Baban,wales,bedw@example.org\r\n"
    "Clyde Team,Scotland,\r\n"
)


def console_for(app):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    return console


def upload(console, text, **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "teams.csv"), **extra}
    return console.post("/admin/teams/import", data=data, content_type="multipart/form-data")


def team_names(app):
    with app.app_context():
        return sorted(item["team"]["name"] for item in store.team_overview(get_db()))


def test_a_file_is_previewed_then_created_with_its_links_shown_once(app):
    console = console_for(app)
    assert console.get("/admin/teams/import").status_code == 200
    preview = upload(console, GOOD)
    assert preview.status_code == 200
    assert "Check the 3 teams below" in preview.text
    assert "Bedw Tîm Rhiant-Baban" in preview.text
    assert team_names(app) == []  # nothing until confirmed
    text = re.search(r'name="csv_text" value="([^"]*)"', preview.text).group(1)
    import html

    done = console.post(
        "/admin/teams/import", data={"csv_text": html.unescape(text), "confirmed": "yes"}
    )
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    assert team_names(app) == ["Alder Parent-Infant Team", "Bedw Tîm Rhiant-Baban", "Clyde Team"]
    links = re.findall(r'<code class="import-link">([^<]+)</code>', done.text)
    assert len(links) == 3
    for link in links:
        opened = app.test_client().get(link.replace("http://localhost", ""), follow_redirects=True)
        assert opened.status_code == 200
    assert 'data-invitation="cy"' in done.text  # the team in Wales gets a Welsh invitation
    with app.app_context():
        wales = [i["team"] for i in store.team_overview(get_db()) if i["team"]["nation"] == "wales"]
        assert wales[0]["contact_email"] == "bedw@example.org"


def test_a_file_with_a_bad_row_creates_nothing_and_names_each_bad_row(app, make_team):
    make_team("Existing Team", nation="england")
    console = console_for(app)
    bad = (
        GOOD
        + ",England,no-name@example.org\r\n"
        + "Dee Team,Atlantis,dee@example.org\r\n"
        + "Existing team,England,\r\n"
        + "Alder Parent-Infant Team,England,\r\n"
        + "Esk Team,England,not an email\r\n"
    )
    response = upload(console, bad)
    assert response.status_code == 422
    assert "No team was added" in response.text
    assert "Row 5:" in response.text and "Enter the team’s name" in response.text
    assert "Row 6:" in response.text and "Give the nation as" in response.text
    assert "Row 7:" in response.text and "already exists" in response.text
    assert "Row 8:" in response.text and "is also on row 2" in response.text
    assert "Row 9:" in response.text and "Enter the contact email" in response.text
    assert 'name="confirmed"' not in response.text
    assert team_names(app) == ["Existing Team"]
    # a confirmed post of a bad file is checked again and creates nothing either
    again = console.post("/admin/teams/import", data={"csv_text": bad, "confirmed": "yes"})
    assert again.status_code == 422
    assert team_names(app) == ["Existing Team"]


def test_a_file_without_the_header_row_or_teams_is_refused(app):
    console = console_for(app)
    assert "The first row must name the columns" in upload(console, "Alder,England\r\n").text
    assert upload(console, "name,nation\r\n").status_code == 422
    assert upload(console, "").status_code == 422
    assert team_names(app) == []


def test_an_excel_file_in_windows_1252_with_odd_characters_is_read(app):
    console = console_for(app)
    data = "name,nation,contact email\r\nCaf\xe9 Team =1+2,England,\r\n".encode("cp1252")
    response = console.post(
        "/admin/teams/import",
        data={"file": (io.BytesIO(data), "teams.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Café Team =1+2" in response.text
