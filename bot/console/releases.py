"""The national picture's pages: dated releases, their downloads, and the live staff-only figures.

Registered on the console blueprint (`views.bp`), so every page needs a signed-in admin.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext

from bot import store
from bot.console import exports
from bot.console.auth import current_admin
from bot.console.national_facts import team_facts
from bot.console.views import SQLITE_MAX_ID, ActionForm, attachment, bp, uk_today
from bot.db import get_db
from bot.national import downloads, report, wording
from bot.national.facts import Shape
from bot.national.release import HIDDEN, Release, live_figures, make_release
from bot.national.suppression import CannotProtect
from bot.trees import current_tree


def _releases() -> list[Release]:
    return [Release.from_data(row["data"], row["id"]) for row in store.national_releases(get_db())]


def _release_or_404(release_id: int) -> Release:
    row = store.national_release(get_db(), release_id) if release_id <= SQLITE_MAX_ID else None
    if row is None:
        abort(404)
    return Release.from_data(row["data"], row["id"])


def _proposed(earlier: list[Release]) -> Release:
    tree = current_tree()
    return make_release(team_facts(get_db(), tree), Shape.of_tree(tree), earlier, uk_today())


def _page(release: Release | None, releases: list[Release], mode: str, **extra):
    return render_template(
        "admin/national.html",
        release=release,
        releases=releases,
        mode=mode,
        facts=wording.key_facts(release) if release else [],
        protection=wording.protection(release) if release else "",
        hidden=HIDDEN,
        share=downloads.share_of_finished,
        **extra,
    )


@bp.get("/national")
def national_picture():
    releases = _releases()
    return _page(releases[-1] if releases else None, releases, "release")


@bp.get("/national/releases/<int:release_id>")
def national_release(release_id: int):
    return _page(_release_or_404(release_id), _releases(), "release")


@bp.get("/national/live")
def national_live():
    tree = current_tree()
    live = live_figures(team_facts(get_db(), tree), Shape.of_tree(tree), uk_today())
    response = Response(_page(live, _releases(), "live"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/national/releases/new", methods=["GET", "POST"])
def new_national_release():
    earlier = _releases()
    form = ActionForm()
    if form.validate_on_submit():
        for _ in range(3):  # another release kept meanwhile: audit against it too
            try:
                release = _proposed(earlier)
            except CannotProtect:
                flash(_cannot_protect_message(), "important")
                return redirect(url_for(".national_picture"))
            admin = current_admin()
            kept = store.keep_national_release(
                get_db(),
                release.data(),
                admin_id=admin["id"] if admin else None,
                after=earlier[-1].number if earlier else None,
            )
            if kept is not None:
                current_app.logger.info("Published national release %s", kept)
                flash(gettext("Published the release. Its figures are safe to quote."))
                return redirect(url_for(".national_release", release_id=kept))
            earlier = _releases()
        abort(409)
    try:
        proposed = _proposed(earlier)
    except CannotProtect:
        return _page(None, earlier, "cannot", message=_cannot_protect_message())
    return _page(proposed, earlier, "preview", form=ActionForm(formdata=None))


def _cannot_protect_message() -> str:
    return gettext(
        "A release today cannot be protected: compared with the last release, it would let a "
        "reader work out how the few teams that changed since then stand. Publish when more "
        "teams have joined or finished."
    )


def _name(release: Release, kind: str) -> str:
    return f"national-picture-{release.published_on.isoformat()}-{kind}"


def _long_csv(release: Release) -> Response:
    text = "".join(exports.csv_lines(downloads.LONG_COLUMNS, downloads.long_records(release)))
    return attachment(text, _name(release, "figures.csv"), "text/csv")


@bp.get("/national/releases/<int:release_id>/figures.csv")
def national_release_csv(release_id: int):
    return _long_csv(_release_or_404(release_id))


@bp.get("/national/releases/<int:release_id>/tables.csv")
def national_release_wide_csv(release_id: int):
    release = _release_or_404(release_id)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(
        [exports.csv_cell(value) for value in row] for row in downloads.wide_rows(release)
    )
    return attachment(buffer.getvalue(), _name(release, "tables.csv"), "text/csv")


@bp.get("/national/releases/<int:release_id>/report.docx")
def national_release_report(release_id: int):
    release = _release_or_404(release_id)
    return attachment(
        report.report_docx(release),
        _name(release, "report.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@bp.get("/national/releases/<int:release_id>/report.pdf")
def national_release_pdf(release_id: int):
    release = _release_or_404(release_id)
    pdf = report.report_pdf(report.report_docx(release))
    if pdf is None:
        abort(404)
    return attachment(pdf, _name(release, "report.pdf"), "application/pdf")


@bp.get("/exports/national.csv")
def export_national():
    releases = _releases()
    if not releases:
        abort(404)
    return _long_csv(releases[-1])
