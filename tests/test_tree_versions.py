"""Changing the question tree never loses an answer or breaks an audit."""

import re
import sqlite3

import pytest

from bot import store
from bot.db import get_db
from bot.tree.loader import DEFAULT_TREE
from tests.admin_support import make_admin, sign_in_directly
from tests.profiles import SPECIALISED
from tests.test_audit_journey import form_data, path_of, walk

V1 = DEFAULT_TREE.read_text(encoding="utf-8")
V1_VERSION = re.search(r'version: "([0-9]+\.[0-9]+)"', V1).group(1)
V2_VERSION = f"{V1_VERSION.split('.')[0]}.{int(V1_VERSION.split('.')[1]) + 1}"
NEW_QUESTION = """  - id: referral_self_referral
    domain: referrals_access
    type: yes_no
    text: Can families refer themselves?
    help: Self-referral can widen who reaches the team.

"""


def version_two() -> str:
    """Add a question, drop an option and remove a question, as an editor might."""
    text = V1.replace(f'version: "{V1_VERSION}"', f'version: "{V2_VERSION}"')
    text = text.replace(
        """      - value: "informal"
        label: Referrers know how to refer, but it is not written down
""",
        "",
        1,
    )
    start = text.index("  - id: referral_age_start\n")
    end = text.index("  - id: referral_relationship_concern\n")
    text = text[:start] + NEW_QUESTION + text[end:]
    text = text.replace("next: referral_age_start", "next: referral_self_referral")
    text = text.replace(  # the dropped option's status rule goes with it
        """      - when: "referral_pathway == 'informal'"
        status: partly_met
        because: Referrers know how to refer, but the pathway is not written down.
""",
        "",
        1,
    )
    text = text.replace(
        """        when: "referral_age_start in ['from_birth', 'later']"\n""",
        "        for_every_gap: A version with no question on when referrals start.\n",
        1,
    )
    assert text.count("referral_age_start") == 0
    return text


@pytest.fixture
def apps(tmp_path, new_app):
    """Two apps on one database: before and after the question tree changed."""
    v2 = tmp_path / "self-audit-v2.yaml"
    v2.write_text(version_two(), encoding="utf-8")
    before = new_app(WTF_CSRF_ENABLED=False)
    after = new_app(WTF_CSRF_ENABLED=False, QUESTION_TREE=str(v2))
    return before, after


def test_an_audit_in_progress_moves_to_the_new_version_and_is_told(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Moving team")
    client = before.test_client()
    early = {**SPECIALISED, "referral_pathway": "informal"}
    for question_id in list(early)[: list(early).index("referral_age_start") + 1]:
        assert (
            client.post(
                f"/a/{token}/q/{question_id}", data=form_data(early[question_id])
            ).status_code
            == 302
        )

    client = after.test_client()
    page = client.get(f"/a/{token}/?intro=1")
    assert "The audit questions have been updated" in page.text
    assert "New questions: 1. Questions to answer again: 1." in page.text
    assert "The audit questions have been updated" not in client.get(f"/a/{token}/?intro=1").text

    with after.app_context():
        audit = store.current_audit(get_db(), team_id, tree_id="", tree_version="", tree_digest="")
        assert audit["tree_version"] == V2_VERSION
    assert path_of(client.get(f"/a/{token}/next")) == f"/a/{token}/q/referral_pathway"
    client.post(f"/a/{token}/q/referral_pathway", data=form_data("written_and_shared"))
    assert path_of(client.get(f"/a/{token}/next")) == f"/a/{token}/q/referral_self_referral"

    with sqlite3.connect(after.config["DB"]) as conn:
        kept = {row[0] for row in conn.execute("SELECT question_id FROM answers")}
    assert {"referral_age_start", "referral_pathway", "sup_under3_count"} <= kept


def test_a_finished_audit_keeps_its_version_and_result(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Finished team")
    client = before.test_client()
    walk(client, token, {**SPECIALISED, "referral_pathway": "informal"})
    client.post(f"/a/{token}/finish")
    result_before = client.get(f"/a/{token}/result").text
    assert "Not yet meeting the definition" in result_before

    client = after.test_client()
    result_after = client.get(f"/a/{token}/result")
    assert result_after.status_code == 200
    assert "Not yet meeting the definition" in result_after.text
    assert "The audit questions have been updated" not in result_after.text
    with after.app_context():
        audit = store.current_audit(get_db(), team_id, tree_id="", tree_version="", tree_digest="")
        assert audit["tree_version"] == V1_VERSION and audit["status"] == "finished"

    admin = make_admin(after)
    console = after.test_client()
    sign_in_directly(console, admin)
    team_page = console.get(f"/admin/teams/{team_id}")
    assert team_page.status_code == 200
    assert V1_VERSION in team_page.text


def test_a_re_audit_uses_the_current_tree(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Re-audited team")
    walk(before.test_client(), token, SPECIALISED)
    with after.app_context():
        tree = after.extensions["question_tree"]
        audit = store.start_new_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        assert audit["tree_version"] == V2_VERSION


def test_two_app_versions_alternating_never_move_an_audit_back(apps):
    """A rolling deploy: old and new app serve one database in turn."""
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Rolling team")
    old_client, new_client = before.test_client(), after.test_client()
    answers = list(SPECIALISED.items())[:6]
    for turn, (question_id, value) in enumerate(answers):
        client = new_client if turn % 2 else old_client
        response = client.post(f"/a/{token}/q/{question_id}", data=form_data(value))
        assert response.status_code == 302, (turn, question_id)
        assert client.get(f"/a/{token}/check").status_code == 200
        with before.app_context():
            audit = store.current_audit(
                get_db(), team_id, tree_id="", tree_version="", tree_digest=""
            )
        assert audit["tree_version"] == (V1_VERSION if turn == 0 else V2_VERSION), turn
    with sqlite3.connect(before.config["DB"]) as conn:
        moves = conn.execute("SELECT from_version, to_version FROM audit_tree_moves").fetchall()
    assert moves == [(V1_VERSION, V2_VERSION)]
    # The old app serves the audit on its own, newer questions, exactly as the new app does.
    for path in ("/q/referral_age_start", "/q/referral_self_referral", "/check"):
        old_page, new_page = (
            old_client.get(f"/a/{token}{path}"),
            new_client.get(f"/a/{token}{path}"),
        )
        assert old_page.status_code == new_page.status_code, path
        assert old_page.headers.get("Location") == new_page.headers.get("Location"), path


def test_versions_are_ordered_naturally():
    from bot.trees import version_key

    assert version_key("2026.10") > version_key("2026.9") > version_key("2026.1")
    assert version_key("2") > version_key("1b") > version_key("1")
