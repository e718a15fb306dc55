"""The foundation's console: teams and their links, progress, re-audits, the national picture.

Every page needs a signed-in admin (bot.admin_auth.require_login runs before each one).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from bot import store
from bot.audit import presenters
from bot.audit.forms import TEAM_NAME_MAX_LENGTH, clean_input
from bot.audit.state import load_audit_state
from bot.console import exports, national, progress, signup
from bot.console.auth import EMAIL_PATTERN, LogoutForm, require_login
from bot.console.date_input import DateInputField, TodayOrLater, WithinYears
from bot.console.recording import record, recorded
from bot.db import get_db
from bot.links import audit_link, external_url
from bot.plan.download import plan_download
from bot.store import signups
from bot.store.names import clean_name
from bot.trees import current_tree

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_login)

UK = ZoneInfo("Europe/London")
NEW_LINK_KEY = "new_link"


@bp.context_processor
def console_context() -> dict:
    return {
        "logout_form": LogoutForm(formdata=None),  # never reads the request: it may be too large
        "nation_labels": national.NATION_LABELS,
        "nations": national.NATIONS,
        "host_labels": national.HOST_TYPES,
        "status_labels": national.STATUS_LABELS,
        "when": when,
        "until": until,
    }


def when(moment: datetime | None) -> str:
    """Show a stored time as a UK date and time, like "3 Mar 2026, 14:05"."""
    if moment is None:
        return ""
    return format_datetime(moment.astimezone(UK), "d MMM yyyy, HH:mm", locale=get_locale())


def until(moment: datetime | None) -> str:
    """Show a link's expiry as the last day it works when it ends at UK midnight (as every
    date typed in the console does): "the end of 27 Mar 2027", not "28 Mar 2027, 00:00"."""
    if moment is None:
        return ""
    local = moment.astimezone(UK)
    if local.time() != time(0):
        return when(moment)
    last_day = (local - timedelta(days=1)).date()
    return gettext(
        "the end of %(date)s", date=format_date(last_day, "d MMM yyyy", locale=get_locale())
    )


# -- forms ----------------------------------------------------------------------------------


MAX_LINK_YEARS = 10
CONTACT_NAME_MAX_LENGTH = 120
SQLITE_MAX_ID = 2**63 - 1


def uk_today() -> date:
    return datetime.now(UK).date()


def link_expiry_field() -> DateInputField:
    return DateInputField(
        _l("Link expiry date (optional)"),
        validators=[TodayOrLater(uk_today), WithinYears(MAX_LINK_YEARS, uk_today)],
        subject=_l("Link expiry date"),
        description=_l("The link stops working at the end of this day, UK time."),
    )


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        validators=[
            DataRequired(message=_l("Enter the team’s name")),
            Length(max=TEAM_NAME_MAX_LENGTH),
        ],
        filters=[clean_name],
    )
    nation = StringField(
        _l("Nation"),
        validators=[
            InputRequired(message=_l("Select the nation the team works in")),
            AnyOf(national.NATIONS, message=_l("Select the nation the team works in")),
        ],
    )
    area = StringField(
        _l("Area (optional)"),
        validators=[Optional(), Length(max=120)],
        filters=[clean_input],
        description=_l("For example the local authority or health board the team covers."),
    )
    host_type = StringField(
        _l("Host organisation (optional)"),
        validators=[
            Optional(),
            AnyOf(national.HOST_TYPES, message=_l("Select the host organisation from the list")),
        ],
    )
    contact_name = StringField(
        "Contact name (optional)",
        validators=[Optional(), Length(max=CONTACT_NAME_MAX_LENGTH)],
        filters=[clean_name],
    )
    contact_email = StringField(
        _l("Contact email (optional)"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.org")),
        ],
        filters=[clean_input],
    )
    submit = SubmitField(_l("Save"))


class NewTeamForm(TeamForm):
    link_expires = link_expiry_field()
    submit = SubmitField(_l("Create the team and its link"))


class ReissueForm(FlaskForm):
    link_expires = link_expiry_field()
    submit = SubmitField(_l("Re-issue the link"))


class ExpiryForm(FlaskForm):
    link_expires = link_expiry_field()
    submit = SubmitField(_l("Set the expiry date"))


class ActionForm(FlaskForm):
    """Nothing but the CSRF token, for buttons that change something."""

    submit = SubmitField()


class SignupSettingForm(FlaskForm):
    signup_open = StringField(
        _l("Public sign-up"),
        validators=[
            InputRequired(message=_l("Choose whether sign-up is open")),
            AnyOf(["1", "0"], message=_l("Choose whether sign-up is open")),
        ],
    )
    submit = SubmitField(_l("Save"))


def _end_of_day(day: date | None) -> datetime | None:
    """Return the end of `day` in the UK as an aware time, or None."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UK)


def _name_taken(form: TeamForm, team_id: int | None = None) -> bool:
    """True (with the error on the form) if another team has the name, once folded."""
    if signups.name_in_use(get_db(), form.name.data, except_team=team_id):
        form.name.errors = [f"A team called “{form.name.data}” already exists"]
        return True
    return False


def _team_fields(form: TeamForm) -> dict:
    return {
        "name": form.name.data,
        "nation": form.nation.data,
        "area": form.area.data or None,
        "host_type": form.host_type.data or None,
        "contact_email": store.normalise_email(form.contact_email.data) or None,
        "contact_name": form.contact_name.data or None,
    }


# -- shared loading -------------------------------------------------------------------------


def _team_or_404(team_id: int) -> dict:
    if team_id > SQLITE_MAX_ID:  # no such row, and too large for SQLite to look up
        abort(404)
    team = store.get_team(get_db(), team_id)
    if team is None:
        abort(404)
    return team


def invitations(team: dict, link: str) -> list[dict]:
    """Return the ready invitation emails for a team: English, and Welsh too for Wales.

    Each is {"language", "label", "mailto"}; none without a contact email.
    """
    if not team["contact_email"]:
        return []
    languages = [("en_GB", "English")] + ([("cy", "Welsh")] if team["nation"] == "wales" else [])
    found = []
    for locale, label in languages:
        with force_locale(locale):
            found.append(
                {"language": locale, "label": label, "mailto": invitation_mailto(team, link)}
            )
    return found


def invitation_mailto(team: dict, link: str) -> str:
    """Return a mailto: URL with a ready invitation carrying the team's link."""
    subject = gettext("Your team’s parent-infant self-audit link")
    body = gettext(
        "Hello,\n\n"
        "Here is the private link to %(team)s’s self-audit against the national definition "
        "of a specialised parent-infant relationship team:\n\n%(link)s\n\n"
        "Anyone with this link can answer for your team, so please share it only with "
        "colleagues in the team. Several people can work on the audit, and you can stop and "
        "come back to it at any time. At the end you will see where the team stands and can "
        "download an action plan.\n\n"
        "With best wishes,\nThe Parent-Infant Foundation",
        team=team["name"],
        link=link,
    ).replace("\n", "\r\n")
    address = quote(team["contact_email"] or "", safe="@")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def _remember_new_link(team_id: int, token: str) -> None:
    # Shown once on the next page, then dropped: only a hash of the token is stored.
    session[NEW_LINK_KEY] = {"team": team_id, "token": token}


# -- progress -------------------------------------------------------------------------------


@bp.get("/")
def teams():
    nation = request.args.get("nation", "")
    status = request.args.get("status", "")
    nation = nation if nation in national.NATION_LABELS else ""
    status = status if status in national.STATUSES else ""
    include_archived = request.args.get("archived") == "1"
    sort = request.args.get("sort", "name")
    sort = sort if sort in national.SORT_KEYS else "name"
    descending = request.args.get("order") == "desc"
    tree = current_tree()
    result = request.args.get("result", "")
    result = result if result in {r.id for r in tree.results} else ""
    query = request.args.get("q", "")[:200].strip()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    table = progress.progress_table(
        get_db(),
        tree,
        progress.TableQuery(
            include_archived=include_archived,
            nation=nation,
            status=status,
            result=result,
            query=query,
            sort=sort,
            descending=descending,
            page=page,
        ),
    )
    return render_template(
        "admin/teams.html",
        rows=table.rows,
        matching=table.matching,
        page=table.page,
        pages=table.pages,
        result=result,
        query=query,
        now=datetime.now(UK),
        page_size=national.PAGE_SIZE,
        pending=table.pending,
        action_form=ActionForm(formdata=None),
        total=table.total,
        nation=nation,
        status=status,
        include_archived=include_archived,
        sort=sort,
        descending=descending,
        results={result.id: result for result in tree.results},
    )


# -- teams and links ------------------------------------------------------------------------


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team():
    form = NewTeamForm()
    if form.validate_on_submit():
        with store.write_transaction(get_db()):  # the name checked and taken under one lock
            if not _name_taken(form):
                team_id, token = store.create_team(
                    get_db(),
                    **_team_fields(form),
                    link_expires=_end_of_day(form.link_expires.data),
                )
                record("add_team", team_id=team_id, detail=f"Added the team {form.name.data}")
        if not form.errors:
            _remember_new_link(team_id, token)
            return redirect(url_for(".new_link", team_id=team_id))
    return render_template("admin/team_form.html", form=form, team=None), (
        422 if form.errors else 200
    )


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
def edit_team(team_id: int):
    team = _team_or_404(team_id)
    form = TeamForm(data=None if request.method == "POST" else team)
    if form.validate_on_submit() and not _name_taken(form, team_id):
        with recorded("edit_team", team_id=team_id, detail="Changed the team’s details"):
            store.update_team(get_db(), team_id, **_team_fields(form))
        flash(gettext("Saved the team’s details."))
        return redirect(url_for(".team", team_id=team_id))
    return render_template("admin/team_form.html", form=form, team=team), (
        422 if form.errors else 200
    )


@bp.get("/teams/<int:team_id>/link")
def new_link(team_id: int):
    team = _team_or_404(team_id)
    shown = session.pop(NEW_LINK_KEY, None)
    if not shown or shown.get("team") != team_id:
        return redirect(url_for(".team", team_id=team_id))
    link = audit_link(shown["token"])
    response = Response(
        render_template(
            "admin/link.html",
            team=team,
            link=link,
            invitations=invitations(team, link),
            live=store.live_link(get_db(), team_id),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/teams/<int:team_id>/link/reissue")
def reissue_link(team_id: int):
    team = _team_or_404(team_id)
    form = ReissueForm(prefix="reissue")
    if not form.validate_on_submit():
        return _team_page(team, reissue_form=form), 422
    if request.form.get("confirmed") != "yes":
        return _reissue_confirmation(team, form)
    live = store.live_link(get_db(), team_id)
    old = f" ending …{live['hint']}" if live else ""
    with recorded("reissue_link", team_id=team_id, detail=f"Re-issued the link{old}"):
        token = store.reissue_link(get_db(), team_id, expires=_end_of_day(form.link_expires.data))
    _remember_new_link(team_id, token)
    return redirect(url_for(".new_link", team_id=team_id))


def _confirmed() -> bool:
    """True for a post from a confirmation page with a valid CSRF token."""
    return (
        request.method == "POST"
        and request.form.get("confirmed") == "yes"
        and ActionForm().validate_on_submit()
    )


def _confirmation(
    team: dict,
    question: str,
    consequences: list[str | None],
    button: str,
    button_class: str = "button-warning",
):
    """The page that asks before an action that cannot be undone; a None consequence (one
    that does not apply to this team) is left out."""
    return render_template(
        "admin/confirm.html",
        team=team,
        question=question,
        consequences=[line for line in consequences if line],
        button=button,
        button_class=button_class,
        action=request.path,
        form=ActionForm(formdata=None),
    )


def _current_audit_line(team: dict) -> str | None:
    """Say what happens to the team's current audit, if it has one in progress."""
    db = get_db()
    audits = store.audits_for_team(db, team["id"])
    if not audits:
        return None
    standing = store.standings(db, [audits[0]["id"]])[audits[0]["id"]]
    if standing.status == national.IN_PROGRESS:
        return gettext(
            "The audit in progress (%(percent)s%% answered) is kept as it is, but no one can "
            "go on with it while the team has no working link.",
            percent=standing.percent,
        )
    return None


def _reissue_confirmation(team: dict, form: ReissueForm):
    """Ask before re-issuing: the old link dies at once. The expiry typed is carried along."""
    live = store.live_link(get_db(), team["id"])
    return render_template(
        "admin/confirm_reissue.html",
        team=team,
        form=form,
        consequences=[
            gettext(
                "The team’s current link, ending …%(hint)s, stops working at once.",
                hint=live["hint"],
            )
            if live
            else None,
            "Everyone in the team needs the new link, which is shown to you once.",
            _current_audit_line(team),
            gettext("Every answer given so far is kept."),
        ],
    )


def _approve(team_id: int) -> bool:
    with recorded("approve_team", team_id=team_id, detail="Approved the sign-up"):
        return store.approve_team(get_db(), team_id)


@bp.route("/teams/<int:team_id>/link/revoke", methods=["GET", "POST"])
def revoke_link(team_id: int):
    team = _team_or_404(team_id)
    link = store.live_link(get_db(), team_id)
    if link is None:
        return redirect(url_for(".team", team_id=team_id))
    if _confirmed():
        with recorded(
            "revoke_link", team_id=team_id, detail=f"Revoked the link ending …{link['hint']}"
        ):
            store.revoke_link(get_db(), team_id)
        flash(gettext("Revoked the link. It no longer opens the audit."))
        return redirect(url_for(".team", team_id=team_id))
    consequences = [
        gettext(
            "The team’s current link, ending …%(hint)s, stops working at once.", hint=link["hint"]
        ),
        gettext("The team has no link until you re-issue one; a re-issued link is a new one."),
        _current_audit_line(team),
        gettext("Every answer given so far is kept."),
    ]
    return _confirmation(
        team,
        gettext("Revoke the link for %(team)s?", team=team["name"]),
        consequences,
        gettext("Yes, revoke the link"),
    )


@bp.post("/teams/<int:team_id>/link/expiry")
def link_expiry(team_id: int):
    team = _team_or_404(team_id)
    form = ExpiryForm(prefix="expiry")
    if not form.validate_on_submit():
        return _team_page(team, expiry_form=form), 422
    day = form.link_expires.data
    with recorded(
        "set_link_expiry",
        team_id=team_id,
        detail=f"Set the link to expire at the end of {day:%d %b %Y}"
        if day
        else "Set the link not to expire",
    ):
        changed = store.set_link_expiry(get_db(), team_id, _end_of_day(day))
    if changed:
        flash(
            gettext("Set the link’s expiry date.")
            if form.link_expires.data
            else gettext("The link no longer expires.")
        )
    return redirect(url_for(".team", team_id=team_id))


@bp.post("/teams/<int:team_id>/approve")
def approve_team(team_id: int):
    team = _team_or_404(team_id)
    if ActionForm().validate_on_submit() and _approve(team_id):
        flash(gettext("Approved %(team)s: the national picture now counts it.", team=team["name"]))
    if request.form.get("back") == "team":
        return redirect(url_for(".team", team_id=team_id))
    return redirect(url_for(".teams"))


@bp.route("/teams/<int:team_id>/archive", methods=["GET", "POST"])
def archive_team(team_id: int):
    team = _team_or_404(team_id)
    if team["archived"]:
        return redirect(url_for(".team", team_id=team_id))
    if _confirmed():
        with recorded("archive_team", team_id=team_id, detail="Archived the team"):
            store.archive_team(get_db(), team_id)
        flash(gettext("Archived the team. Its answers are kept; its link no longer works."))
        return redirect(url_for(".team", team_id=team_id))
    consequences = [
        gettext("The team’s link stops working at once."),
        _current_audit_line(team),
        gettext("The team leaves the progress table and the national picture."),
        gettext(
            "Its answers, results and action plans are kept: tick “Include archived teams” on "
            "the Teams page to find it."
        ),
        gettext("The console cannot undo archiving."),
    ]
    return _confirmation(
        team,
        gettext("Archive %(team)s?", team=team["name"]),
        consequences,
        gettext("Yes, archive the team"),
    )


# -- a team's audits ------------------------------------------------------------------------


def _team_page(team: dict, audit_id: int | None = None, **forms) -> str:
    db, tree = get_db(), current_tree()
    audits = store.audits_for_team(db, team["id"])
    standing_of = store.standings(db, [audit["id"] for audit in audits])
    selected = audits[0] if audits else None
    if audit_id is not None:
        selected = next((audit for audit in audits if audit["id"] == audit_id), None)
        if selected is None:
            abort(404)
    state = load_audit_state(db, tree, team, selected) if selected else None
    view = presenters.result_view(state) if state and state.finished else None
    return render_template(
        "admin/team.html",
        team=team,
        link=store.live_link(db, team["id"]),
        audits=audits,
        standings=standing_of,
        selected=selected,
        current=audits[0] if audits else None,
        state=state,
        view=view,
        sections=presenters.answered_sections(state) if state else [],
        contributors=store.contributors(db, selected["id"]) if selected else [],
        results={result.id: result for result in tree.results},
        reissue_form=forms.get("reissue_form") or ReissueForm(formdata=None, prefix="reissue"),
        expiry_form=forms.get("expiry_form")
        or ExpiryForm(formdata=None, prefix="expiry", data=_expiry_data(db, team["id"])),
        action_form=ActionForm(formdata=None),
        who=presenters.who,
        short_date=presenters.short_date,
    )


def _expiry_data(db, team_id: int) -> dict:
    link = store.live_link(db, team_id)
    if not link or not link["expires"]:
        return {}
    return {"link_expires": (link["expires"].astimezone(UK) - timedelta(days=1)).date()}


@bp.get("/teams/<int:team_id>")
def team(team_id: int):
    return _team_page(_team_or_404(team_id))


@bp.get("/teams/<int:team_id>/audits/<int:audit_id>")
def team_audit(team_id: int, audit_id: int):
    if audit_id > SQLITE_MAX_ID:
        abort(404)
    return _team_page(_team_or_404(team_id), audit_id)


def _can_start_new_audit(team: dict, current: dict | None, standing) -> bool:
    """A new audit may follow one the team has begun (finished or not), unless archived."""
    return (
        bool(current)
        and not team["archived"]
        and standing.status in (national.IN_PROGRESS, national.FINISHED)
    )


def _new_audit_consequences(team: dict, current: dict, standing) -> list[str]:
    """Say what a new audit does to the current one and what the team will see."""
    if standing.status == national.FINISHED:
        return [
            gettext("The team’s link stays the same, and from now on opens the new audit."),
            gettext(
                "The audit finished on %(date)s is kept read-only, with its result and action "
                "plan.",
                date=when(current["finished"]),
            ),
            gettext(
                "Each question of the new audit shows the team’s answer from that audit, for "
                "the team to confirm or change."
            ),
        ]
    last = store.previous_finished_audit(get_db(), team["id"], current["id"])
    return [
        gettext(
            "The audit in progress, started %(started)s, has %(answered)s of about %(total)s "
            "questions answered. It stops where it is: kept read-only and unfinished, with no "
            "result.",
            started=when(current["started"]),
            answered=standing.answered,
            total=standing.total,
        ),
        gettext(
            "The new audit starts with the answers of the team’s last finished audit (finished "
            "%(date)s) for the team to confirm or change; answers given in the unfinished audit "
            "are not carried over.",
            date=when(last["finished"]),
        )
        if last
        else gettext(
            "The team has no finished audit, so the new audit starts empty; answers given in "
            "the unfinished audit are not carried over."
        ),
        gettext("The team’s link stays the same and opens the new audit at once."),
    ]


@bp.route("/teams/<int:team_id>/audits", methods=["GET", "POST"])
def start_audit(team_id: int):
    team = _team_or_404(team_id)
    db, tree = get_db(), current_tree()
    audits = store.audits_for_team(db, team_id)
    current = audits[0] if audits else None
    current_id = current["id"] if current else None
    standing = store.standings(db, [current_id])[current_id]
    if not _can_start_new_audit(team, current, standing):
        flash(
            gettext("A new audit can be started once the team has begun its current one."),
            "important",
        )
        return redirect(url_for(".team", team_id=team_id))
    if _confirmed():
        with recorded("start_audit", team_id=team_id, detail="Started a new audit"):
            store.start_new_audit(
                db,
                team_id,
                tree_id=tree.id,
                tree_version=tree.version,
                tree_digest=tree.digest,
                replacing=current["id"],
            )
        flash(
            gettext(
                "Started a new audit. The team’s link now opens it; the earlier audit is kept "
                "read-only below."
            )
        )
        return redirect(url_for(".team", team_id=team_id))
    in_progress = standing.status == national.IN_PROGRESS
    return _confirmation(
        team,
        gettext("Stop the audit in progress and start a new one for %(team)s?", team=team["name"])
        if in_progress
        else gettext("Start a new audit for %(team)s?", team=team["name"]),
        _new_audit_consequences(team, current, standing),
        gettext("Stop this audit and start a new one")
        if in_progress
        else gettext("Yes, start a new audit"),
        button_class="button-warning" if in_progress else "",
    )


@bp.get("/teams/<int:team_id>/audits/<int:audit_id>/action-plan.docx")
def action_plan(team_id: int, audit_id: int):
    team = _team_or_404(team_id)
    audit = store.get_audit(get_db(), audit_id) if audit_id <= SQLITE_MAX_ID else None
    if audit is None or audit["team_id"] != team_id:
        abort(404)
    return plan_download(load_audit_state(get_db(), current_tree(), team, audit))


# -- the national picture and exports -------------------------------------------------------


def _export(kind: str, fmt: str, produce) -> Response:
    """Stream an export's text from a snapshot of the database, a batch of rows at a time."""
    tree, path = current_tree(), current_app.config["DB"]
    batch_size = current_app.config["EXPORT_BATCH_SIZE"]

    def body():
        with store.read_snapshot(path) as db:
            yield from produce(db, tree, batch_size=batch_size)

    return attachment(
        stream_with_context(body()),
        f"self-audit-{kind}-{date.today().isoformat()}.{fmt}",
        "text/csv" if fmt == "csv" else "application/json",
    )


def attachment(body, filename: str, mimetype: str) -> Response:
    """A download of the console's: saved as `filename`, never kept by a cache (it holds teams'
    answers or live links)."""
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/exports/audits.csv", defaults={"fmt": "csv"})
@bp.get("/exports/audits.json", defaults={"fmt": "json"})
def export_audits(fmt: str):
    return _export("audits", fmt, exports.audits_csv if fmt == "csv" else exports.audits_json)


@bp.get("/exports/answers.csv", defaults={"fmt": "csv"})
@bp.get("/exports/answers.json", defaults={"fmt": "json"})
def export_answers(fmt: str):
    return _export("answers", fmt, exports.answers_csv if fmt == "csv" else exports.answers_json)


# -- settings -------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    db = get_db()
    form = SignupSettingForm(data={"signup_open": "1" if signup.signup_open(db) else "0"})
    if form.validate_on_submit():
        opened = form.signup_open.data == "1"
        with recorded("settings", detail=f"{'Opened' if opened else 'Closed'} public sign-up"):
            store.set_setting(db, signup.SIGNUP_SETTING, form.signup_open.data)
        flash(
            gettext("Sign-up is open.")
            if form.signup_open.data == "1"
            else gettext("Sign-up is closed.")
        )
        return redirect(url_for(".settings"))
    return render_template(
        "admin/settings.html", form=form, signup_url=external_url("signup.start")
    ), (422 if form.errors else 200)
