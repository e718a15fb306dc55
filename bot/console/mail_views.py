"""The console's email pages: invitations, reminders, the outbox and the editable texts.

Routes on the console's blueprint (`bot.console.views.bp`), so every page needs a signed-in
admin. Every send is asked first: a confirmation page says how many messages go and to whom.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from bot import mail, store
from bot.console import national, progress
from bot.console.recording import record, recorded
from bot.console.views import SQLITE_MAX_ID, ActionForm, _confirmed, bp
from bot.db import get_db
from bot.mail.compose import placeholder_values, progress_phrase
from bot.mail.outgoing import (
    Progress,
    Recipient,
    queue_invitations,
    queue_reminders,
    texts_for,
    why_not_mailed,
)
from bot.mail.texts import DEFAULTS, INVITATION, KINDS, LANGUAGES, PLACEHOLDERS, fill, problems
from bot.store import imports, outbox
from bot.tree.assessment import FINISHED, IN_PROGRESS, NOT_STARTED
from bot.trees import current_tree

MAX_TEAMS = 1000
STATE_LABELS = {
    outbox.QUEUED: "Queued",
    outbox.SENDING: "Sending",
    outbox.UNSURE: "May have been sent",
    outbox.SENT: "Sent",
    outbox.FAILED: "Failed",
}


@bp.app_template_global()
def team_mail(team_id: int) -> list[dict]:
    """The team's messages, newest first, for its page."""
    return outbox.team_messages(get_db(), team_id)


@bp.app_template_global()
def latest_mail(team_ids) -> dict[int, dict]:
    """Each team's latest message, for the progress table's email column."""
    return outbox.latest_messages(get_db(), list(team_ids))


@bp.app_template_global()
def mail_settings():
    """How mail leaves: `to_files` when there is no mail server and messages are written as
    .eml files in `outbox_folder`."""
    return mail.settings()


@bp.app_template_global()
def mail_action_form() -> ActionForm:
    """The CSRF token of a message's own button ("Send again")."""
    return ActionForm(formdata=None)


@bp.context_processor
def mail_context() -> dict:
    return {"mail_state_labels": STATE_LABELS, "mail_kinds": KINDS}


def _team_ids() -> list[int]:
    """The teams chosen: `team` ids, or every team of the import named by `import`."""
    batch = request.values.get("import", "")
    if batch.isdigit() and len(batch) < 12:
        found = imports.get_import(get_db(), int(batch))
        return [team["id"] for team in found["team_list"]] if found else []
    ids = []
    for value in request.values.getlist("team")[:MAX_TEAMS]:
        if value.isdigit() and len(value) < 12 and int(value) not in ids:
            ids.append(int(value))
    return ids


def _teams(ids: list[int]) -> list[dict]:
    db = get_db()
    return [team for team in (store.get_team(db, team_id) for team_id in ids) if team]


def _admin_id() -> int | None:
    return g.admin["id"] if g.get("admin") else None


@bp.get("/mail")
def mail_overview():
    return render_template(
        "admin/mail.html",
        counts=outbox.outbox_counts(get_db()),
        messages=outbox.recent_messages(get_db()),
        kinds=KINDS,
        languages=LANGUAGES,
        settings=mail.settings(),
    )


@bp.post("/mail/<int:message_id>/send-again")
def send_mail_again(message_id: int):
    """Queue again a message whose sender died mid-send, once staff have checked."""
    db = get_db()
    message = outbox.get_message(db, message_id) if message_id <= SQLITE_MAX_ID else None
    if message is None:
        abort(404)
    back = (
        url_for("admin.team", team_id=message["team_id"]) + "#mail"
        if request.form.get("back") == "team" and message["team_id"]
        else url_for("admin.mail_overview")
    )
    if not ActionForm().validate_on_submit():
        return redirect(back)
    kind = KINDS.get(message["kind"], message["kind"]).lower()
    with store.write_transaction(db):
        queued = outbox.send_again(db, message_id)
        if queued:
            record(
                "send_mail_again",
                team_id=message["team_id"],
                detail=f"Sent again the {kind} to {message['recipient']} that may have been sent",
            )
    if queued:
        mail.wake()
        flash(f"Queued the {kind} to {message['recipient']} again.")
    else:
        flash("That message is no longer waiting for a decision: its state shows below.")
    return redirect(back)


# -- invitations ----------------------------------------------------------------------------


def _invitation_recipients(teams: list[dict]) -> list[Recipient]:
    db = get_db()
    found = []
    for team in teams:
        reason = why_not_mailed(team)
        link = store.live_link(db, team["id"]) if not reason else None
        detail = (
            f"Its link ending …{link['hint']} stops working; the new one is in the email."
            if link
            else "It has no live link now; the email carries a new one."
        )
        found.append(Recipient(team, reason, "" if reason else detail))
    return found


@bp.route("/mail/invitations", methods=["GET", "POST"])
def send_invitations():
    recipients = _invitation_recipients(_teams(_team_ids()))
    going = [r for r in recipients if not r.skipped]
    back = request.values.get("back", "")
    if going and _confirmed():
        with store.write_transaction(get_db()):
            queue_invitations(get_db(), [r.team for r in going], admin_id=_admin_id())
            for r in going:
                record(
                    "send_invitation",
                    team_id=r.team["id"],
                    detail=f"Emailed the invitation, with a new link, to {r.team['contact_email']}",
                )
        flash(_queued_message(len(going), "invitation"))
        return redirect(_back_to(back, going))
    return render_template(
        "admin/mail_confirm.html",
        kind=INVITATION,
        heading=_invitation_heading(going),
        going=going,
        skipped=[r for r in recipients if r.skipped],
        consequences=[
            "Each team is issued a new audit link, carried by its email: the link it has now "
            "stops working at once.",
            "Each email goes to the team’s contact; teams in Wales get it in Welsh and English.",
        ],
        form=ActionForm(formdata=None),
        back=back,
        back_href=_back_to(back, recipients),
    )


def _invitation_heading(going: list[Recipient]) -> str:
    if len(going) == 1:
        return f"Send the invitation to {going[0].team['name']}?"
    return f"Send {len(going)} invitations?"


def _queued_message(count: int, kind: str) -> str:
    noun = kind if count == 1 else kind + "s"
    if mail.settings().to_files:
        return (
            f"Queued {count} {noun}. With no mail server set up, each is written as an .eml "
            f"file in {mail.settings().outbox_folder}."
        )
    return f"Queued {count} {noun}. They are sent in the next minute; their state shows below."


def _back_to(back: str, recipients: list) -> str:
    if back.startswith("import-") and back[7:].isdigit():
        return url_for("admin.import_result", import_id=int(back[7:]))
    if back == "team" and len(recipients) == 1:
        return url_for("admin.team", team_id=recipients[0].team["id"]) + "#mail"
    return url_for("admin.mail_overview")


# -- reminders ------------------------------------------------------------------------------

WHICH = {
    "not_started": "Teams that have not started their audit",
    "stalled": "Teams with an audit in progress and no activity for some weeks",
}


def _weeks() -> int:
    value = request.values.get("weeks", "")
    return int(value) if value.isdigit() and 1 <= int(value) <= 104 else national.STALLED_WEEKS


def _progress_rows(nation: str, query: str) -> list:
    table = progress.progress_table(
        get_db(),
        current_tree(),
        progress.TableQuery(nation=nation, query=query, page=1, page_size=100_000),
    )
    pending = national.filter_rows(table.pending, nation=nation, query=query)
    return list(table.rows) + pending


def _wanted(status: str, last_activity, which: str, weeks: int, now: datetime) -> bool:
    """True for a team the reminder criteria pick: not started, or stalled `weeks` or more."""
    if which == "not_started":
        return status == NOT_STARTED
    return status == IN_PROGRESS and now - last_activity >= timedelta(weeks=weeks)


def _reminder_recipients(rows, which: str, weeks: int, chosen: list[int]) -> list[Recipient]:
    db, now = get_db(), datetime.now(UTC)
    found = []
    for row in rows:
        status = row.standing.status
        if chosen and row.team["id"] not in chosen:
            continue
        if not chosen and not _wanted(status, row.last_activity, which, weeks, now):
            continue
        link = store.live_link(db, row.team["id"])
        reason = why_not_mailed(row.team)
        if not reason and status == FINISHED:
            reason = "finished its audit"
        if not reason and (link is None or link["expired"]):
            reason = "no working link: send an invitation instead"
        detail = (
            "Not started"
            if status == NOT_STARTED
            else f"{row.standing.percent}% answered; last activity {row.last_activity:%d %b %Y}"
        )
        found.append(Recipient(row.team, reason, detail))
    return found


@bp.route("/mail/reminders", methods=["GET", "POST"])
def send_reminders():
    nation = request.values.get("nation", "")
    nation = nation if nation in national.NATION_LABELS else ""
    query = request.values.get("q", "")[:200].strip()
    which = request.values.get("which", "")
    which = which if which in WHICH else "not_started"
    weeks, chosen = _weeks(), _team_ids()
    rows = _progress_rows(nation, query)
    recipients = _reminder_recipients(rows, which, weeks, chosen)
    going = [r for r in recipients if not r.skipped]
    if going and chosen and _confirmed():
        by_id = {row.team["id"]: row for row in rows}
        with store.write_transaction(get_db()):
            queue_reminders(
                get_db(),
                [(r.team, _progress_of(by_id[r.team["id"]]), _hint(r.team)) for r in going],
                admin_id=_admin_id(),
            )
            for r in going:
                record(
                    "send_reminder",
                    team_id=r.team["id"],
                    detail=f"Emailed a reminder to {r.team['contact_email']}",
                )
        flash(_queued_message(len(going), "reminder"))
        return redirect(_back_to(request.values.get("back", ""), going))
    return render_template(
        "admin/mail_reminders.html",
        which=which,
        which_options=WHICH,
        weeks=weeks,
        nation=nation,
        query=query,
        chosen=chosen,
        going=going,
        skipped=[r for r in recipients if r.skipped],
        form=ActionForm(formdata=None),
        back=request.values.get("back", ""),
    )


def _progress_of(row) -> Progress:
    updated = row.audit["updated"] if row.audit else None
    return Progress(row.standing.status, row.standing.percent, updated)


def _hint(team) -> str:
    return store.live_link(get_db(), team["id"])["hint"]


# -- the texts ------------------------------------------------------------------------------


class MailTextForm(FlaskForm):
    subject = StringField("Subject")
    body = TextAreaField("Message")


SAMPLE_TEAM = {
    "id": 0,
    "name": "Riverside Parent-Infant Team",
    "contact_name": "Sam Jones",
    "nation": "england",
}


def _preview(kind: str, language: str, subject: str, body: str) -> dict:
    values = placeholder_values(
        SAMPLE_TEAM,
        current_app.config["ORGANISATION"],
        link="https://audit.example.org/a/an-example-link-for-the-preview",
        link_hint="ab12",
        progress=progress_phrase(language, IN_PROGRESS, 40, datetime(2026, 3, 3, tzinfo=UTC)),
    )
    return {"subject": " ".join(fill(subject, values).split()), "body": fill(body, values)}


@bp.route("/mail/texts/<kind>/<language>", methods=["GET", "POST"])
def mail_text(kind: str, language: str):
    if kind not in KINDS or language not in LANGUAGES:
        abort(404)
    db = get_db()
    current = texts_for(db, kind)[language]
    edited = outbox.mail_template(db, kind, language) is not None
    form = MailTextForm(data={"subject": current.subject, "body": current.body})
    errors: dict[str, str] = {}
    action = request.form.get("action", "preview")
    if request.method == "POST" and form.validate_on_submit():
        subject = " ".join((form.subject.data or "").split())
        body = (form.body.data or "").replace("\r\n", "\n")
        if action == "reset":
            with recorded("mail_text", detail=f"Reset the {kind} in {LANGUAGES[language]}"):
                outbox.save_mail_template(db, kind, language, None, None, _admin_id())
            flash(f"The {KINDS[kind].lower()} in {LANGUAGES[language]} is back to the default.")
            return redirect(url_for(".mail_text", kind=kind, language=language))
        errors = problems(kind, subject, body)
        if action == "save" and not errors:
            with recorded("mail_text", detail=f"Changed the {kind} in {LANGUAGES[language]}"):
                outbox.save_mail_template(db, kind, language, subject, body, _admin_id())
            flash(f"Saved the {KINDS[kind].lower()} in {LANGUAGES[language]}.")
            return redirect(url_for(".mail_text", kind=kind, language=language))
        form.subject.data, form.body.data = subject, body
    for name, message in errors.items():
        form[name].errors = [message]
    return render_template(
        "admin/mail_text.html",
        form=form,
        kind=kind,
        language=language,
        kinds=KINDS,
        languages=LANGUAGES,
        placeholders=PLACEHOLDERS[kind],
        edited=edited,
        is_default=(form.subject.data, form.body.data)
        == (DEFAULTS[kind, language].subject, DEFAULTS[kind, language].body),
        preview=None if errors else _preview(kind, language, form.subject.data, form.body.data),
    ), (422 if errors else 200)
