"""The issue's "done when", end to end through the CLI and two browser sessions."""

import csv
import io
import re

from tests.admin_support import shown_link, token_of
from tests.audit_support import team_at, walk
from tests.national_support import table_cell as cell
from tests.profiles import SPECIALISED


def test_an_admin_hands_out_a_link_and_sees_the_finished_audit_everywhere(app, runner):
    created = runner.invoke(
        args=["admin", "create", "lead@foundation.example"], input="correct horse battery\n"
    )
    assert created.exit_code == 0, created.output

    console = app.test_client()
    assert console.get("/admin/").headers["Location"].startswith("/admin/login")
    signed_in = console.post(
        "/admin/login",
        data={"email": "lead@foundation.example", "password": "correct horse battery"},
    )
    assert signed_in.headers["Location"] == "/admin/"

    new = console.post(
        "/admin/teams/new",
        data={
            "name": "Meadow Parent-Infant Team",
            "nation": "england",
            "area": "Leeds",
            "host_type": "nhs",
            "contact_email": "lead@meadow.example",
        },
    )
    link_page = console.get(new.headers["Location"])
    link = shown_link(link_page.text)
    assert "mailto:lead@meadow.example" in link_page.text
    team_id = re.search(r"/admin/teams/(\d+)/link", new.headers["Location"]).group(1)

    team_browser = app.test_client()
    token = token_of(link)
    assert (
        team_browser.get(link.replace("http://localhost", ""), follow_redirects=True).status_code
        == 200
    )
    walk(team_browser, token, SPECIALISED)
    assert (
        team_browser.post(f"{team_at(team_browser, token)}/finish")
        .headers["Location"]
        .endswith("/result")
    )

    table = console.get("/admin/").text
    row = table.split(">Meadow Parent-Infant Team</a>")[1].split("</tr>")[0]
    assert "Finished" in row and "Specialised parent-infant relationship team" in row

    assert console.post("/admin/national/releases/new").status_code == 302
    picture = console.get("/admin/national").text
    assert "1 team is taking part across the UK: 1 in England." in picture
    # One team: its result is hidden, and so is what would let it be worked out.
    assert cell(picture, "results", "specialised", "uk") == "hidden"
    assert cell(picture, "results", "finished", "uk") == "hidden"

    audits = console.get("/admin/exports/audits.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(audits.lstrip("\ufeff"))))
    assert [(r["team_id"], r["team_name"], r["status"], r["result"]) for r in rows] == [
        (team_id, "Meadow Parent-Infant Team", "finished", "specialised")
    ]
    answers = console.get("/admin/exports/answers.csv").get_data(as_text=True)
    answer_rows = list(csv.DictReader(io.StringIO(answers.lstrip("\ufeff"))))
    assert {r["team_name"] for r in answer_rows} == {"Meadow Parent-Infant Team"}
    assert {r["question_id"] for r in answer_rows} == set(SPECIALISED)
