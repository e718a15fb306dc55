"""Every kind of page a team meets, seeded once: for axe, the reflow check and the screenshots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import store
from bot.db import get_db
from bot.trees import current_tree
from tests.browser.support import LiveServer, open_link, press, token_of
from tests.profiles import PROFILES, SPECIALISED

TARGETED = next(p for p in PROFILES if p.name == "both targeted flags").answers
RESPONDENT = ("Sam Patel", "Clinical lead")

# One question of each type, on the path of the TARGETED team.
QUESTION_OF_TYPE = {
    "whole_number": "sup_under3_count",
    "decimal": "sup_under3_wte",
    "single_choice": "referral_age_range",
    "multiple_choice": "mdt_professions",
    "yes_no": "mdt_relationship_expertise",
    "short_text": "referral_limiting_other",
    "long_text": "further_anything_else",
}


@dataclass(frozen=True)
class Site:
    """Teams at each stage of an audit, on one live server."""

    server: LiveServer
    fresh: str  # no answers yet
    partway: str  # answered up to the professions question
    complete: str  # every question answered, not finished
    finished: str  # finished, with a targeted result
    re_audit_open: str  # a re-audit just started after a finished targeted audit
    re_audit: str  # a re-audit finished specialised after a targeted one

    @classmethod
    def seed(cls, server: LiveServer) -> Site:
        return cls(
            server=server,
            re_audit_open=_re_audit(server, None),
            re_audit=_re_audit(server, SPECIALISED),
            fresh=server.team("Riverside parent-infant team"),
            partway=server.team(
                "Riverside parent-infant team",
                server.answers_before(SPECIALISED, "mdt_professions"),
                respondent=RESPONDENT,
            ),
            complete=server.team("Riverside parent-infant team", TARGETED, respondent=RESPONDENT),
            finished=server.team(
                "Riverside parent-infant team", TARGETED, finished=True, respondent=RESPONDENT
            ),
        )


def _re_audit(server: LiveServer, answers) -> str:
    """A team that finished a targeted audit, then started its next one (and gave `answers`)."""
    link = server.team("Riverside parent-infant team", TARGETED, finished=True)
    with server.app.app_context():
        db, tree = get_db(), current_tree()
        team = store.team_by_token(db, token_of(link))
        store.start_new_audit(
            db, team["id"], tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
    if answers:
        server.answer(link, answers, finished=True, respondent=RESPONDENT)
    return link


def _first_past_audit(page, site: Site) -> None:
    _at_team(page, site.re_audit, "/?intro=1")
    press(page, page.locator("#earlier-audits + ul a").first)


def _go(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")


def _at_team(page, link: str, path: str) -> None:
    """Open the team's link as a member does, then go to `path` among the team's pages."""
    url = open_link(page, link, wait_until="domcontentloaded") + path
    if page.url != url:  # the link itself lands on the start page
        _go(page, url)


def _submit_empty(page, link: str, path: str) -> None:
    _at_team(page, link, path)
    press(page, page.locator("#answer-form button.button[type=submit]"))  # in any language


Visit = Callable[[object, Site], None]

# name -> how to bring a page to that state. Names become screenshot file names.
TEAM_PAGES: dict[str, Visit] = {
    "home": lambda page, site: _go(page, site.server.url + "/"),
    "start": lambda page, site: _at_team(page, site.fresh, "/"),
    "start-returning": lambda page, site: _at_team(page, site.partway, "/?intro=1"),
    "who-is-answering": lambda page, site: _at_team(page, site.fresh, "/name?first=1"),
    **{
        f"question-{kind.replace('_', '-')}": (
            lambda page, site, question_id=question_id: _at_team(
                page, site.complete, f"/q/{question_id}#question"
            )
        )
        for kind, question_id in QUESTION_OF_TYPE.items()
    },
    "question-first": lambda page, site: _at_team(page, site.fresh, "/q/sup_under3_count#question"),
    "question-error-number": lambda page, site: _submit_empty(
        page, site.fresh, "/q/sup_under3_count#question"
    ),
    "question-error-choice": lambda page, site: _submit_empty(
        page, site.partway, "/q/mdt_professions#question"
    ),
    "check-in-progress": lambda page, site: _at_team(page, site.partway, "/check"),
    "task-list": lambda page, site: _at_team(page, site.partway, "/tasks"),
    "check": lambda page, site: _at_team(page, site.complete, "/check"),
    "result": lambda page, site: _at_team(page, site.finished, "/result"),
    "re-audit-start": lambda page, site: _at_team(page, site.re_audit_open, "/?intro=1"),
    "re-audit-question": lambda page, site: _at_team(
        page, site.re_audit_open, "/q/sup_under3_count#question"
    ),
    "re-audit-unchanged-domain": lambda page, site: _at_team(
        page, site.re_audit_open, "/q/sup_under3_count/unchanged"
    ),
    "re-audit-result": lambda page, site: _at_team(page, site.re_audit, "/result"),
    "re-audit-next": lambda page, site: _at_team(page, site.re_audit, "/next-audit"),
    "past-result": _first_past_audit,
    "question-list": lambda page, site: _at_team(page, site.fresh, "/questions"),
    "privacy": lambda page, site: _go(page, site.server.url + "/privacy"),
    "accessibility": lambda page, site: _go(page, site.server.url + "/accessibility"),
    "contact": lambda page, site: _go(page, site.server.url + "/contact"),
    "not-found": lambda page, site: _go(page, site.server.url + "/no-such-page"),
    "link-not-valid": lambda page, site: _go(page, site.server.url + "/a/not-a-real-link/"),
}
