"""A team's private link opens a session: the token is in the first address and no other.

`/a/<token>` checks the link, remembers it in the browser's signed session and redirects to
the team's pages under `/t/<team_id>/`, which carry no secret: a printed page, a screenshot or
a shared computer's history shows an address that opens nothing without the session. Each
request checks that the link the session was opened with is still the team's live link, so
revoking or replacing the link, or archiving the team, ends every session it opened.

One browser may hold several teams' sessions side by side (foundation staff helping two teams,
a member of two teams): the team is in the address, so a tab left open on one team can never
save an answer into another team's audit.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bot import store
from bot.audit.forms import clean_input
from bot.db import get_db
from bot.i18n import tree_text
from bot.throttle import client_address, throttle
from bot.trees import current_tree

bp = Blueprint("team_link", __name__)

LINKS_KEY = "team_links"  # {team id: id of the link row that opened the session}
OPENED_KEY = "opened_teams"  # teams whose link this browser opened: exempt from the guard
OPENED_KEPT = 20


@bp.route("/a/<token>/<path:rest>", methods=["GET", "POST"])
@bp.route("/a/<token>", methods=["GET", "POST"])
@bp.route("/a/<token>/", methods=["GET", "POST"])  # registered first: the link as handed out
def open_link(token: str, rest: str = ""):
    """Exchange the link for a session and go to the same page without the token.

    Old addresses with the token and a page after it (`/a/<token>/result`, handed out or
    bookmarked before) still work: they land on that page. A form posted to one keeps its
    method (307).
    """
    team = _team_for_link(token)
    links = dict(session.get(LINKS_KEY, {}))
    links[str(team["id"])] = team["link_id"]
    session[LINKS_KEY] = links
    target = url_for("audit.start", team_id=team["id"]) + rest
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    response = redirect(target, 307 if request.method == "POST" else 303)
    response.headers["Cache-Control"] = "no-store"
    return response


def _team_for_link(token: str) -> dict:
    """Resolve the link to its team; count unknown links so nobody can try links in bulk.

    Once an address has tried too many unknown links, links are refused from it for a while,
    except in a browser that opened its link before (its signed session says so): a team
    working behind the same address as someone guessing keeps going, and the guesser learns
    nothing, since a link new to the browser is refused whether it is real or not.
    """
    limit = current_app.config["LINK_LOOKUP_LIMIT"]
    address = client_address()
    guard = throttle()
    team = store.team_by_token(get_db(), token)
    opened_here = team is not None and team["id"] in session.get(OPENED_KEY, [])
    if not opened_here and not guard.allowed(limit, "link", address):
        current_app.logger.warning("Audit link look-ups refused: too many unknown from %s", address)
        abort(429)
    if team is None:
        if not guard.take(limit, "link", address):
            abort(429)
        _refuse()
    if not opened_here:
        session[OPENED_KEY] = [*session.get(OPENED_KEY, [])[-(OPENED_KEPT - 1) :], team["id"]]
    return team


def find_team(_endpoint, values) -> None:
    """Load the team of a `/t/<team_id>/` page from the session, or refuse the page.

    The session must hold the team's live link: a page opened without the link, or after the
    link was revoked or replaced or the team archived, gets the "link not valid" page.
    """
    team_id = values.pop("team_id")
    links = session.get(LINKS_KEY, {})
    link_id = links.get(str(team_id))
    team = store.team_by_link(get_db(), team_id, link_id) if link_id else None
    if team is None:
        if link_id:
            session[LINKS_KEY] = {key: value for key, value in links.items() if key != str(team_id)}
        _refuse()
    g.team = team


def _refuse():
    """Refuse a page of a link that does not open: a form posted to it shows what was typed."""
    if request.method == "POST":
        abort(_typed_for_a_closed_link())
    abort(404, description="audit_link")


def _typed_for_a_closed_link():
    """A post to a link that no longer opens (revoked, expired, archived, never real): nothing
    is saved, and the page shows what was typed and who to ask for a new link.

    It is the same page whatever the link was, so it tells a guesser nothing; it shows only
    what the post itself held, and question texts any team sees.
    """
    args = request.view_args or {}
    question_id = args.get("question_id") or args.get("rest", "").removeprefix("q/")
    question = current_tree().questions_by_id.get(question_id)
    typed = [clean_input(value) for value in request.form.getlist("answer")]
    typed = [value for value in typed if value]
    if question is not None and question.options:
        labels = {option.value: option.label for option in question.options}
        typed = [tree_text(labels[value]) if value in labels else value for value in typed]
    details = [
        clean_input(request.form.get(name, ""))
        for name in ("note", "name", "role")
        if clean_input(request.form.get(name, ""))
    ]
    page = render_template(
        "audit/link_closed.html",
        question=question,
        typed=typed,
        details=details,
        contact_email=current_app.config.get("CONTACT_EMAIL") or "",
    )
    return current_app.make_response((page, 404))


def add_team_id(_endpoint, values) -> None:
    if "team_id" not in values and "team" in g:
        values["team_id"] = g.team["id"]
