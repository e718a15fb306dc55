"""The national picture's pages: releases published from the console, their downloads, and
the live figures kept for staff. Teams are made through the store; the pages through HTTP."""

import csv
import html
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly
from tests.conftest import question_tree
from tests.national_support import facts_of
from tests.national_support import table_cell as cell
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()
BY_NAME = {profile.name: profile.answers for profile in PROFILES}
NO_LEAD = BY_NAME["no consultant lead or oversight"]
AGE_FLAG = BY_NAME["referrals only up to the first birthday"]


def seed(app, nation, answers, *, finish=True, pending=False):
    with app.app_context():
        db = get_db()
        team_id, _ = store.create_team(db, "Team", nation=nation, self_registered=pending)
        audit = store.current_audit(
            db, team_id, tree_id=TREE.id, tree_version=TREE.version, tree_digest=TREE.digest
        )
        for question_id, value in answers.items():
            store.record_answer(db, audit["id"], question_id, value, tree=TREE)
        if finish:
            store.finish_audit(db, audit["id"], tree=TREE)
        return team_id


@pytest.fixture
def console(app, client):
    sign_in_directly(client, make_admin(app))
    return client


def publish(client):
    page = client.get("/admin/national/releases/new")
    assert page.status_code == 200
    assert "Publish this release" in page.text
    response = client.post("/admin/national/releases/new")
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def test_a_release_is_published_from_the_console_and_served_as_page_csvs_and_report(app, console):
    for _ in range(6):
        seed(app, "england", SPECIALISED)
    for _ in range(3):
        seed(app, "england", NO_LEAD)
    seed(app, "wales", AGE_FLAG)
    for _ in range(3):
        seed(app, "scotland", {}, finish=False)
    assert (
        "No release of the national picture has been published yet."
        in console.get("/admin/national").text
    )
    location = publish(console)
    page = console.get(location).text
    assert "13 teams are taking part across the UK" in facts_of(page)[0]
    assert "10 of them have finished their audit." in facts_of(page)
    long_csv = console.get(location + "/figures.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(long_csv.lstrip("\ufeff"))))
    assert {"table", "row", "column", "count", "release_date"} <= set(rows[0])
    wide = console.get(location + "/tables.csv").get_data(as_text=True)
    assert "Release date" in wide
    report = Document(io.BytesIO(console.get(location + "/report.docx").data))
    assert report.tables
    assert console.get("/admin/exports/national.csv").get_data(as_text=True) == long_csv


def test_live_figures_are_marked_not_for_publication(app, console):
    seed(app, "england", SPECIALISED)
    page = console.get("/admin/national/live")
    assert page.status_code == 200
    assert "Not for publication" in page.text
    assert "1 team is taking part across the UK" in page.text


def test_the_optional_2024_questions_are_counted_among_the_finished_teams_that_answered(
    app, console
):
    skipped = {k: v for k, v in SPECIALISED.items() if not k.startswith("further_")}
    skipped["further_choice"] = "skip_extra"
    fathers = ["established"] * 4 + ["developing"] * 3 + ["not_yet"] * 3
    for level in fathers:
        seed(app, "england", {**SPECIALISED, "further_fathers": level})
    for _ in range(4):
        seed(app, "england", skipped)
    location = publish(console)
    page = console.get(location).text
    assert cell(page, "practice_teams", "answered", "teams") == "10"
    assert cell(page, "practice_teams", "skipped", "teams") == "4"
    assert cell(page, "practices", "further_fathers", "established") == "4"
    assert cell(page, "practices", "further_fathers", "developing") == "3"
    assert cell(page, "practices", "further_fathers", "not_yet") == "3"
    voice = SPECIALISED["further_babys_voice"]
    assert cell(page, "practices", "further_babys_voice", voice) == "10"
    facts = facts_of(page)
    assert (
        "10 of the 14 finished teams also answered the optional questions from the 2024 report "
        "“Who is holding the baby?”." in facts
    )
    established = [key for key in SPECIALISED if SPECIALISED[key] == "established"]
    best = [f"“{TREE.questions_by_id[key].text}”" for key in established]
    most = html.unescape(next(fact for fact in facts if fact.startswith("Of those 10")))
    assert all(text in most for text in best) and "by 10 of them (100%)" in most
    report = Document(io.BytesIO(console.get(location + "/report.docx").data))
    texts = [p.text for p in report.paragraphs]
    assert (
        "Practice from the 2024 report, among finished teams that answered the optional "
        "questions" in texts
    )
    grid = next(t for t in report.tables if t.rows[0].cells[1].text == "Well established")
    row = next(
        r for r in grid.rows if r.cells[0].text == TREE.questions_by_id["further_fathers"].text
    )
    assert [c.text for c in row.cells[1:]] == ["4", "3", "3"]
    described = [e.get("descr") for e in report.element.body.iter(qn("wp:docPr"))]
    assert any("Teams where each practice is well established" in d for d in described)
    wide = console.get(location + "/tables.csv").get_data(as_text=True)
    assert "Optional questions from the 2024 report, among finished teams" in wide


def test_audits_finished_before_the_upgrade_count_their_optional_answers(tmp_path):
    """Standings kept before the 2024 block was counted are worked out again on upgrade."""
    import json

    from bot import create_app
    from bot.tree.loader import DEFAULT_TREE
    from tests.conftest import BASE_CONFIG

    path = tmp_path / "before.db"
    db = store.connect(path)
    with store.write_transaction(db):
        store.migrations.apply(db, stop_before="m032_optional_answers_kept")
    store.save_tree(
        db, TREE.digest, TREE.id, TREE.version, DEFAULT_TREE.read_text(encoding="utf-8")
    )
    team_id, _ = store.create_team(db, "Alder Team", nation="england")
    audit = store.current_audit(
        db, team_id, tree_id=TREE.id, tree_version=TREE.version, tree_digest=TREE.digest
    )
    for question_id, value in SPECIALISED.items():
        store.record_answer(db, audit["id"], question_id, value, tree=TREE)
    store.finish_audit(db, audit["id"], tree=TREE)
    (kept,) = db.execute("SELECT standing FROM standings").fetchone()
    old = {key: value for key, value in json.loads(kept).items() if key != "optional_answers"}
    with store.write_transaction(db):  # as kept before the upgrade
        db.execute("UPDATE standings SET standing = ?", [json.dumps(old)])
    db.conn.close()

    upgraded = create_app({**BASE_CONFIG, "WTF_CSRF_ENABLED": False, "DB": str(path)})
    console = upgraded.test_client()
    sign_in_directly(console, make_admin(upgraded))
    page = console.get("/admin/national/live").text
    assert cell(page, "practice_teams", "answered", "teams") == "1"
    assert cell(page, "practices", "further_fathers", SPECIALISED["further_fathers"]) == "1"
