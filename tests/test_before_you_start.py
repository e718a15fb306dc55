"""Before starting: what to have ready, an estimate, and every question on one printable page."""

from __future__ import annotations

import html
import re

import pytest

from bot import store
from bot.db import get_db
from bot.tree.loader import DEFAULT_TREE, READY_MAX_LENGTH, TreeError, parse_tree
from bot.trees import current_tree
from tests.audit_support import team_at


def tree_of(app):
    with app.app_context():
        return current_tree()


def ready_items(page: str) -> list[str]:
    block = re.search(r'<ul class="list list-bullet ready-list"[^>]*>(.*?)</ul>', page, re.S)
    assert block, "no list of things to have ready"
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1))]


def test_the_start_page_lists_what_to_have_ready_from_the_tree_in_order(app, client, team):
    _, token = team
    tree = tree_of(app)
    expected = list(dict.fromkeys(q.ready for q in tree.questions if q.ready))
    assert len(expected) >= 5, "the tree says too little about what to have ready"
    assert ready_items(client.get(f"{team_at(client, token)}/").text) == expected


def test_what_to_have_ready_covers_every_figure_the_audit_asks_for(app):
    """Each number question says what to have to hand; so does the lead's pay band."""
    tree = tree_of(app)
    figures = [q.id for q in tree.questions if q.type in ("whole_number", "decimal")]
    assert figures
    assert [q for q in figures if not tree.questions_by_id[q].ready] == []
    assert tree.questions_by_id["lead_pay_band"].ready


def test_a_question_given_a_ready_item_joins_the_start_page_list(tmp_path, new_app):
    tree_file = tmp_path / "self-audit.yaml"
    tree_file.write_text(
        DEFAULT_TREE.read_text(encoding="utf-8").replace(
            "  - id: referral_pathway\n    domain: referrals_access\n",
            "  - id: referral_pathway\n    domain: referrals_access\n"
            "    ready: Your written referral criteria\n",
        ),
        encoding="utf-8",
    )
    app = new_app(QUESTION_TREE=str(tree_file))
    with app.app_context():
        _, token = store.create_team(get_db(), "Test team")
    member = app.test_client()
    items = ready_items(member.get(f"{team_at(member, token)}/").text)
    # In tree order: after the team's questions, before outcomes and funding.
    pay_band = "The clinical lead's pay band or scale (Agenda for Change or Soulbury)"
    assert items.index("Your written referral criteria") == items.index(pay_band) + 1


def test_the_start_page_estimate_follows_the_number_of_questions(app, client, team):
    _, token = team
    page = client.get(f"{team_at(client, token)}/").text
    count = int(re.search(r"about (\d+) in all", page).group(1))
    minutes = int(re.search(r"allow about (\d+) minutes", page).group(1))
    assert count <= minutes < count + 5
    assert minutes % 5 == 0


def test_the_start_page_reads_in_welsh_with_its_list(app, client, team):
    _, token = team
    client.get("/language/cy")
    page = client.get(f"{team_at(client, token)}/").text
    assert "Beth i'w gael yn barod" in html.unescape(page)
    assert "Y proffesiynau yn y tîm" in ready_items(page)


def test_the_printable_list_shows_every_question_under_its_domain(app, client, team):
    _, token = team
    tree = tree_of(app)
    start = client.get(f"{team_at(client, token)}/").text
    assert f'href="{team_at(client, token)}/questions"' in start
    page = html.unescape(client.get(f"{team_at(client, token)}/questions").text)
    sections = re.findall(r'<section class="question-list-domain"[^>]*>(.*?)</section>', page, re.S)
    assert len(sections) == len(tree.domains)
    for domain, section in zip(tree.domains, sections, strict=True):
        assert domain.title in section
        for question in tree.questions:
            assert (question.text in section) == (question.domain == domain.id), question.id
    for option in tree.questions_by_id["lead_pay_band"].options:
        assert option.label in page


def test_the_printable_list_prints_without_the_site_header(client, team):
    _, token = team
    page = client.get(f"{team_at(client, token)}/questions").text
    assert 'class="back-link print-hide"' in page
    assert "data-print hidden" in page


def tree_with_ready(value: str) -> str:
    return DEFAULT_TREE.read_text(encoding="utf-8").replace(
        "    ready: The professions in the team\n", f"    ready: {value}\n"
    )


def test_the_tree_check_refuses_a_ready_item_too_long_for_a_list():
    with pytest.raises(TreeError, match=r"question mdt_professions: 'ready' is a short item"):
        parse_tree(tree_with_ready("x" * (READY_MAX_LENGTH + 1)), "self-audit.yaml")


def test_the_tree_check_refuses_a_ready_that_is_not_text():
    with pytest.raises(TreeError, match=r"question mdt_professions: 'ready' must be text"):
        parse_tree(tree_with_ready("[a, b]"), "self-audit.yaml")
