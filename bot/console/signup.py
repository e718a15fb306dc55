"""Public sign-up: a new team enters its name, nation and contact email and gets its link.

The foundation can switch sign-up off in the console. Sign-ups are throttled per address.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from bot import store
from bot.audit.forms import TEAM_NAME_MAX_LENGTH, clean_input
from bot.console import national
from bot.console.auth import EMAIL_PATTERN
from bot.db import get_db
from bot.links import audit_link
from bot.site import typed_before_switch
from bot.store import signups
from bot.store.names import clean_name
from bot.throttle import client_address, throttle

bp = Blueprint("signup", __name__, url_prefix="/signup")

SIGNUP_SETTING = "signup_open"
NAME_TAKEN = _l(
    "A team with this name has already signed up. If it is yours, ask the colleague who "
    "signed it up for its link."
)
NEW_LINK_KEY = "signup_link"


def signup_open(db) -> bool:
    """True once the foundation has opened public sign-up (it starts closed)."""
    return store.get_setting(db, SIGNUP_SETTING, "0") == "1"


class SignupForm(FlaskForm):
    name = StringField(
        _l("Your team’s name"),
        validators=[
            DataRequired(message=_l("Enter your team’s name")),
            Length(
                max=TEAM_NAME_MAX_LENGTH,
                message=_l("Your team’s name must be 120 characters or fewer"),
            ),
        ],
        filters=[clean_name],
    )
    nation = StringField(
        _l("Which nation does your team work in?"),
        validators=[
            InputRequired(message=_l("Select the nation your team works in")),
            AnyOf(national.NATIONS, message=_l("Select the nation your team works in")),
        ],
    )
    contact_name = StringField(
        _l("Your name (optional)"),
        validators=[
            Optional(),
            Length(max=120, message=_l("Your name must be 120 characters or fewer")),
        ],
        filters=[clean_name],
        description=_l("The foundation’s invitations and reminders are addressed to you."),
    )
    contact_email = StringField(
        _l("Contact email address"),
        validators=[
            DataRequired(message=_l("Enter a contact email address")),
            Length(max=254, message=_l("The email address must be 254 characters or fewer")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.org")),
        ],
        filters=[clean_input],
        description=_l("The foundation uses it only to contact the team about the audit."),
    )
    submit = SubmitField(_l("Get your audit link"))


def _closed():
    return render_template("signup/closed.html"), 404


@bp.route("/", methods=["GET", "POST"])
def start():
    db = get_db()
    if not signup_open(db):
        return _closed()
    form = SignupForm(data=typed_before_switch() if request.method == "GET" else None)
    limit = current_app.config["SIGNUP_LIMIT"]
    if form.validate_on_submit():
        if not throttle().take(limit, "signup", client_address()):
            current_app.logger.warning("Sign-up refused: too many from %s", client_address())
            page = render_template(
                "signup/form.html", form=form, nations=national.NATIONS, throttled=True
            )
            return page, 429
        with store.write_transaction(db):  # checked and created under one write lock
            if signups.name_in_use(db, form.name.data):
                form.name.errors = [NAME_TAKEN]
            elif signups.pending_count(db) >= current_app.config["SIGNUP_PENDING_LIMIT"]:
                current_app.logger.warning("Sign-up refused: too many waiting for approval")
                return render_template("signup/closed.html", busy=True), 503
            else:
                team_id, token = store.create_team(
                    db,
                    form.name.data,
                    nation=form.nation.data,
                    contact_email=store.normalise_email(form.contact_email.data),
                    contact_name=form.contact_name.data or None,
                    self_registered=True,
                )
        if form.name.errors:
            return render_template("signup/form.html", form=form, nations=national.NATIONS), 422
        current_app.logger.info("Team %s signed itself up", team_id)
        session[NEW_LINK_KEY] = token
        return redirect(url_for(".done"))
    return render_template("signup/form.html", form=form, nations=national.NATIONS), (
        422 if form.errors else 200
    )


@bp.get("/done")
def done():
    token = session.pop(NEW_LINK_KEY, None)
    if not token:
        return redirect(url_for(".start"))
    team = store.team_by_token(get_db(), token)
    if team is None:
        return redirect(url_for(".start"))
    response = Response(
        render_template("signup/done.html", team=team, link=audit_link(token), token=token)
    )
    response.headers["Cache-Control"] = "no-store"
    return response
