"""The Word plan as a download: the one response the team's pages and the console both send."""

from __future__ import annotations

import io

from flask import Response, send_file

from bot.audit.state import AuditState
from bot.plan.data import plan_date, plan_dict, plan_filename
from bot.plan.document import build_action_plan

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def plan_download(state: AuditState) -> Response:
    """Build this audit's plan in the request's language and send it as a .docx attachment."""
    plan = plan_dict(state)
    return send_file(
        io.BytesIO(build_action_plan(plan)),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=plan_filename(state.team["name"], plan_date(state), draft=plan["draft"]),
    )
