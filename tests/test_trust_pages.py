"""Privacy notice, accessibility statement and contact page: on every footer, in both languages,
worded for whoever runs the service."""

from __future__ import annotations

import html

import pytest

from tests.audit_support import team_at

TRUST_PAGES = {
    "/privacy": ("Privacy notice", "Hysbysiad preifatrwydd"),
    "/accessibility": ("Accessibility statement", "Datganiad hygyrchedd"),
    "/contact": ("Contact and help", "Cysylltu a chael help"),
}


@pytest.mark.parametrize("path", list(TRUST_PAGES))
def test_each_trust_page_reads_in_english_and_welsh(client, path):
    english, welsh = TRUST_PAGES[path]
    page = client.get(path)
    assert page.status_code == 200
    assert f"<h1>{english}</h1>" in page.text
    client.get("/language/cy")
    page = client.get(path)
    assert f"<h1>{welsh}</h1>" in page.text
    assert 'lang="cy"' in page.text


def test_every_kind_of_page_links_to_the_trust_pages_in_its_footer(client, team):
    _, token = team
    pages = [
        "/",
        f"{team_at(client, token)}/",
        f"{team_at(client, token)}/q/sup_under3_count",
        f"{team_at(client, token)}/check",
        f"{team_at(client, token)}/questions",
        "/privacy",
        "/admin/login",
        "/no-such-page",
        "/a/not-a-real-link/",
    ]
    for path in pages:
        text = client.get(path).text
        footer = text[text.index('<footer class="site-footer">') :]
        for trust_page in TRUST_PAGES:
            assert f'href="{trust_page}"' in footer, (path, trust_page)


def test_the_privacy_notice_says_what_is_stored_who_sees_it_and_how_to_delete_it(client):
    page = html.unescape(client.get("/privacy").text)
    for words in (
        "names and roles",
        "every answer and note",
        "anyone who has your team’s audit link",
        "Parent-Infant Foundation",
        "kept while your team uses the service",
        "deleted",
        "Information Commissioner’s Office",
    ):
        assert words in page, words


def test_the_accessibility_statement_says_what_was_tested_and_what_is_known(client):
    page = html.unescape(client.get("/accessibility").text)
    for words in ("WCAG) 2.2 at level AA", "axe", "keyboard", "screen reader", "Known issues"):
        assert words in page, words


def test_the_wording_follows_the_deploying_organisations_settings(new_app):
    app = new_app(
        ORGANISATION="Cwm Taf Health Board",
        CONTACT_EMAIL="audit-help@example.org",
        RETENTION_YEARS=6,
    )
    client = app.test_client()
    contact = client.get("/contact").text
    assert "This self-audit is run by Cwm Taf Health Board." in contact
    assert 'href="mailto:audit-help@example.org"' in contact
    privacy = html.unescape(client.get("/privacy").text)
    assert "Cwm Taf Health Board runs this service" in privacy
    assert "kept for 6 years after its last audit" in privacy
    client.get("/language/cy")
    privacy = html.unescape(client.get("/privacy").text)
    assert "am 6 blynedd ar ôl ei archwiliad diwethaf" in privacy


def test_without_a_contact_email_the_contact_page_still_says_how_to_reach_someone(client):
    page = client.get("/contact").text
    assert "mailto:" not in page
    assert "reply to the message that gave your team its audit link" in page


def test_an_organisations_own_wording_replaces_a_page_in_that_language_only(tmp_path, new_app):
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "privacy.cy.html").write_text(
        "<p>Ein hysbysiad ni, <strong>yn Gymraeg</strong>.</p>", encoding="utf-8"
    )
    client = new_app(TRUST_PAGES_DIR=str(folder)).test_client()
    assert "What we store" in client.get("/privacy").text
    client.get("/language/cy")
    page = client.get("/privacy").text
    assert "<p>Ein hysbysiad ni, <strong>yn Gymraeg</strong>.</p>" in page
    assert "Beth rydym yn ei gadw" not in page
    assert "<h1>Hysbysiad preifatrwydd</h1>" in page


def test_where_names_are_asked_for_the_privacy_notice_is_one_tap_away(client, team):
    _, token = team
    prefix = team_at(client, token)
    first = client.post(f"{prefix}/", data={"who": "next"}).headers["Location"]
    client.post(first, data={"name": "Kim", "role": ""})
    for path in (first, f"{prefix}/?intro=1"):  # a new member; a known one's start page
        page = client.get(path).text
        asked = page[page.index("Who is answering?") : page.index('id="name"')]
        assert '<a href="/privacy">Read the privacy notice</a>' in asked, path
