"""Arbitrary input to every form route: never a 500, never a stored value out of bounds."""

import json
import sqlite3

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import store
from bot.audit.forms import NAME_MAX_LENGTH
from bot.db import get_db
from bot.tree.answers import check_answer
from bot.tree.model import NOTE_MAX_LENGTH
from bot.trees import current_tree
from tests.audit_support import team_at
from tests.conftest import question_tree

ODD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "1e309",
        "NaN",
        "-0",
        "٣",
        "①",
        "1,000",
        "0x10",
        "9" * 400,
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "👶" * 50,
    ]
)
FIELDS = st.sampled_from(["answer", "note", "name", "role", "csrf_token", "language"]) | st.text(
    max_size=20
)
FORM = st.dictionaries(FIELDS, ODD_TEXT | st.lists(ODD_TEXT, max_size=5), max_size=6)


def real_values():
    tree = question_tree()
    return sorted({option.value for q in tree.questions for option in q.options}) + [
        "0",
        "1",
        "2.5",
        "100",
        "2000",
        "0.1",
        "3",
    ]


VALUES = ODD_TEXT | st.sampled_from(real_values())
FORM = st.dictionaries(FIELDS, VALUES | st.lists(VALUES, max_size=5), max_size=6)


def team_post_urls(app, client):
    """Make a team and open its link in `client`; return the tree and every team page's POST
    address (the link's own addresses only redirect, so they are left out)."""
    with app.app_context():
        team_id, token = store.create_team(get_db(), "Hostile team")
        tree = current_tree()
    team_at(client, token)
    post_urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(("/admin", "/a/")):
            continue
        address = rule.rule.replace("<int:team_id>", str(team_id))
        if "<question_id>" in rule.rule:
            post_urls += [address.replace("<question_id>", q.id) for q in tree.questions]
        else:
            post_urls.append(address)
    return tree, post_urls


def assert_everything_stored_is_in_bounds(app, tree):
    conn = sqlite3.connect(app.config["DB"])
    try:
        for question_id, value, note in conn.execute(
            "SELECT question_id, value, note FROM answers"
        ):
            question = tree.question(question_id)
            decoded = json.loads(value)
            assert check_answer(question, decoded) == decoded
            assert len(note) <= NOTE_MAX_LENGTH
            assert not any(ord(c) < 32 and c not in "\t\n" for c in note)
        for name, role in conn.execute("SELECT name, role FROM respondents"):
            assert len(name) <= NAME_MAX_LENGTH and len(role) <= NAME_MAX_LENGTH
    finally:
        conn.close()


def test_arbitrary_posts_never_crash_and_store_only_valid_answers(app):
    client = app.test_client()
    tree, urls = team_post_urls(app, client)

    token_prefix = next(url for url in urls if "/q/" in url).split("/q/")[0]

    @settings(
        max_examples=250,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        url=st.sampled_from(["NEXT"] * 4 + urls),
        form=FORM | st.builds(lambda value, extra: {**extra, "answer": value}, VALUES, FORM),
        query=st.sampled_from(["", "?return_to=check", "?return_to=%00", "?intro=%F0%9F%91%B6"]),
    )
    @example(url="NEXT", form={"answer": "0", "note": "\x00 note \x1b"}, query="")
    def post(url, form, query):
        if url == "NEXT":
            location = client.get(token_prefix + "/next").headers["Location"]
            url = location.split("#")[0].split("?")[0]
        response = client.post(url + query, data=form)
        assert response.status_code < 500, (url, form, response.status_code)

    post()
    assert_everything_stored_is_in_bounds(app, tree)
    with sqlite3.connect(app.config["DB"]) as conn:
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] > 0


def test_arbitrary_paths_and_tokens_are_404_not_500(app):
    client = app.test_client()
    team_post_urls(app, client)

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
    def get(token):
        response = client.get("/a/" + token.replace("/", "_") + "/q/x")
        assert response.status_code < 500

    get()


def test_arbitrary_posts_to_the_console_never_crash(new_app):
    from tests.admin_support import make_admin, sign_in_directly

    app = new_app(
        WTF_CSRF_ENABLED=False,
        ADMIN_LOGIN_LIMIT=None,
        ADMIN_LOGIN_ADDRESS_LIMIT=None,
        SIGNUP_LIMIT=None,
    )
    with app.app_context():
        team_id, _ = store.create_team(get_db(), "Console team")
    client = app.test_client()
    sign_in_directly(client, make_admin(app))
    urls = [
        rule.rule.replace("<int:team_id>", str(team_id)).replace("<int:audit_id>", "1")
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and (rule.rule.startswith("/admin") or "signup" in rule.rule)
        and "logout" not in rule.rule
    ]
    assert len(urls) >= 6

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(url=st.sampled_from(urls), form=FORM)
    def post(url, form):
        response = client.post(url, data=form)
        assert response.status_code < 500, (url, form, response.status_code)

    post()
    with sqlite3.connect(app.config["DB"]) as conn:
        for name, email in conn.execute("SELECT name, contact_email FROM teams"):
            assert name and len(name) <= 200
            assert email is None or len(email) <= 320
