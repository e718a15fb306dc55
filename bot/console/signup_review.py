"""Rejecting a pending sign-up: asked first; its link dies and it is counted nowhere."""

from __future__ import annotations

from flask import flash, redirect, url_for

from bot.console.recording import recorded
from bot.console.views import _confirmation, _confirmed, _team_or_404, bp
from bot.db import get_db
from bot.store import signups


@bp.route("/teams/<int:team_id>/reject", methods=["GET", "POST"])
def reject_team(team_id: int):
    team = _team_or_404(team_id)
    if not team["pending"] or team["archived"]:
        return redirect(url_for(".team", team_id=team_id))
    if _confirmed():
        with recorded("reject_team", team_id=team_id, detail="Rejected the sign-up"):
            signups.reject_team(get_db(), team_id)
        flash(f"Rejected the sign-up of {team['name']}. Its link no longer works.")
        return redirect(url_for(".teams"))
    return _confirmation(
        team,
        f"Reject the sign-up of {team['name']}?",
        [
            "The team’s link stops working at once.",
            "The team leaves the sign-ups waiting for approval, the progress table and the "
            "national picture; it is kept, archived, with anything it answered.",
            "The console cannot undo this.",
        ],
        "Yes, reject the sign-up",
    )
