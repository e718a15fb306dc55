"""The staff accounts page: every console account with its last sign-in; add, disable and
re-enable accounts (a disabled account's sessions end at once)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from bot import store
from bot.console.auth import EMAIL_PATTERN, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hash_password
from bot.console.recording import recorded
from bot.console.views import ActionForm, bp
from bot.db import get_db
from bot.store import accounts


class NewAccountForm(FlaskForm):
    email = StringField(
        "Email address",
        validators=[
            InputRequired(message="Enter the email address"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Regexp(EMAIL_PATTERN, message="Enter an email address like name@example.org"),
        ],
        filters=[lambda text: store.normalise_email(text) if isinstance(text, str) else text],
    )
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(message="Enter a password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"The password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} "
                "characters long",
            ),
        ],
    )


def _page(form: NewAccountForm, status: int = 200):
    return render_template(
        "admin/staff.html",
        admins=accounts.list_admins(get_db()),
        form=form,
        action_form=ActionForm(formdata=None),
    ), status


@bp.get("/staff")
def staff():
    return _page(NewAccountForm(formdata=None))


@bp.post("/staff")
def add_account():
    form = NewAccountForm()
    if form.validate_on_submit():
        db = get_db()
        if store.admin_by_email(db, form.email.data) is not None:
            form.email.errors = [f"{form.email.data} already has an account"]
        else:
            with recorded("add_account", detail=f"Added the account {form.email.data}"):
                store.create_admin(db, form.email.data, hash_password(form.password.data))
            flash(f"Added the account {form.email.data}. Tell them their password yourself.")
            return redirect(url_for(".staff"))
    form.password.data = ""  # a password is never shown back
    return _page(form, 422)


@bp.post("/staff/<int:admin_id>/disable")
def disable_account(admin_id: int):
    admin = store.get_admin(get_db(), admin_id) if admin_id < 2**63 else None
    if admin and ActionForm().validate_on_submit():
        if admin_id == g.admin["id"]:
            flash("You cannot disable your own account.", "important")
        else:
            with recorded("disable_account", detail=f"Disabled the account {admin['email']}"):
                changed = accounts.set_admin_disabled(get_db(), admin_id, True)
            if changed:
                flash(f"Disabled {admin['email']}: its sessions have ended.")
    return redirect(url_for(".staff"))


@bp.post("/staff/<int:admin_id>/enable")
def enable_account(admin_id: int):
    admin = store.get_admin(get_db(), admin_id) if admin_id < 2**63 else None
    if admin and ActionForm().validate_on_submit():
        with recorded("enable_account", detail=f"Re-enabled the account {admin['email']}"):
            accounts.set_admin_disabled(get_db(), admin_id, False)
        flash(f"Re-enabled {admin['email']}.")
    return redirect(url_for(".staff"))
