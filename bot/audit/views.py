"""The team's side: start, one question at a time, check answers, result."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

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

from bot import site, storage_failure, store
from bot.audit import members, presenters, team_session
from bot.audit.forms import (
    ConfirmForm,
    RespondentForm,
    clean_input,
    question_form,
    stored_as_form_data,
)
from bot.audit.record import audit_record
from bot.audit.state import (
    AuditState,
    last_time_answer,
    load_audit_state,
    load_earlier_states,
    load_previous_state,
    load_state,
)
from bot.db import forget_after_failure, get_db
from bot.i18n import LANGUAGES
from bot.plan.download import plan_download
from bot.tree import model as m
from bot.tree.assessment import Assessment, assess
from bot.tree.engine import Journey
from bot.tree.tasks import domain_tasks, next_free_question, unchanged_run
from bot.trees import current_tree, tree_for_digest

bp = Blueprint("audit", __name__, url_prefix="/t/<int:team_id>")
bp.add_app_template_filter(presenters.sentence_start, "sentence_start")
bp.add_app_template_global(presenters.member_words, "member_words")
bp.url_value_preprocessor(team_session.find_team)
bp.url_defaults(team_session.add_team_id)

RETURN_TO_CHECK = "check"
RETURN_TO_TASKS = "tasks"
USE_MINE, KEEP_THEIRS, CHANGE_MINE = "mine", "theirs", "change"  # the conflict page's choices
PRESENCE_MINUTES = 10  # "who else is here": anyone who had a question open this recently


@bp.errorhandler(sqlite3.Error)
def storage_error(error):
    """Storage failed: a question or the start page comes back as its form, input kept.

    Works whatever failed (opening the database, loading the audit, saving), because it reads
    nothing from the database: the question comes from the tree in memory.
    """
    question_id = (request.view_args or {}).get("question_id")
    tree = current_tree()
    if request.method != "POST" or request.endpoint not in ("audit.question", "audit.start"):
        return site.storage_error(error)
    if request.endpoint == "audit.question" and question_id not in tree.questions_by_id:
        return site.storage_error(error)
    current_app.logger.error(
        "Storage error (%s) on POST %s: %s", storage_failure.problem(error), request.path, error
    )
    forget_after_failure(error)
    question = tree.question(question_id) if question_id else None
    form = question_form(question) if question else RespondentForm()
    first_field = form.answer if question else form.name
    first_field.errors = [storage_failure.answer_kept(error)]
    page = render_template(
        "audit/unsaved.html", form=form, question=question, action=request.full_path.rstrip("?")
    )
    return page, 503


def _state() -> AuditState:
    state = load_state(get_db(), current_tree(), g.team, writing=request.method == "POST")
    move = state.tree_move
    if move and move["id"] not in session.get("seen_tree_moves", []):
        g.tree_notice = move
    return state


@bp.after_request
def remember_tree_notice_shown(response):
    """Show the "questions have been updated" notice once per browser, on a page it sees."""
    move = g.get("tree_notice")
    if move and response.status_code == 200 and response.mimetype == "text/html":
        session["seen_tree_moves"] = [*session.get("seen_tree_moves", [])[-19:], move["id"]]
    return response


def _last_time(state: AuditState) -> AuditState | None:
    """The team's last finished audit before this one, loaded once per request."""
    if "last_time" not in g:
        g.last_time = load_previous_state(get_db(), current_tree(), state)
    return g.last_time


def _check_row_url(question_id: str) -> str:
    """The check page, scrolled to the row of `question_id` (where a Change started)."""
    return url_for(".check") + f"#answer-{question_id}"


def _next_url(journey: Journey, returning: str | None = None, changed: str | None = None) -> str:
    if journey.complete:
        return _check_row_url(changed) if returning and changed else url_for(".check")
    return (
        url_for(
            ".question", question_id=journey.next, **({"return_to": returning} if returning else {})
        )
        + "#question"
    )


def _started_here() -> bool:
    return str(g.team["id"]) in session.get("started", [])


def _mark_started() -> None:
    started = set(session.get("started", []))
    started.add(str(g.team["id"]))
    session["started"] = sorted(started)


def _assessment_after(state: AuditState, question_id: str, value) -> Assessment:
    """The audit with this answer as it stands, in progress (an answer that changed nothing
    is not saved, so the store gives no assessment of it)."""
    audit = {**state.audit, "status": store.IN_PROGRESS}
    return assess(state.tree, audit, {**state.answers, question_id: value})


@bp.route("/", methods=["GET", "POST"])
def start():
    state = _state()
    if request.method == "GET" and _started_here() and "intro" not in request.args:
        return redirect(url_for(".result") if state.finished else _continue_url(state))
    typed = site.typed_before_switch() if request.method == "GET" else None
    form = RespondentForm(data=typed)
    if form.validate_on_submit():
        _mark_started()
        if request.form.get("who") == "next":  # a new member's Start: who is answering comes next
            return redirect(url_for(".name", next=_continue_url(state), first=1))
        _answering_as(form.name.data or "", form.role.data or "")
        return redirect(_continue_url(state))
    respondent_id = members.current_id()
    respondent = store.get_respondent(get_db(), respondent_id) if respondent_id else None
    if respondent and not form.is_submitted() and typed is None:
        form.name.data, form.role.data = respondent["name"], respondent["role"]
    last_time = _last_time(state)
    return render_template(
        "audit/start.html",
        state=state,
        form=form,
        contributors=store.contributors(get_db(), state.audit["id"]),
        answered=sum(1 for q in state.assessment.expected_route if q in state.assessment.fitted),
        people_here=_presence(state),
        last_time=last_time,
        last_time_date=presenters.last_time_date(last_time.audit) if last_time else "",
        past=presenters.past_audits(load_earlier_states(get_db(), current_tree(), state)),
        member_known=respondent is not None,
        ready=presenters.things_to_have_ready(state.tree),
        optional_count=presenters.optional_question_count(state.tree),
        minutes=presenters.minutes_needed(state.journey.estimated_total),
    ), 422 if form.errors else 200


@bp.route("/questions")
def question_list():
    state = _state()
    return render_template(
        "audit/questions.html",
        state=state,
        domains=presenters.questions_by_domain(state.tree),
        ready=presenters.things_to_have_ready(state.tree),
    )


@bp.route("/next")
def resume():
    return redirect(_continue_url(_state()))


def _returning() -> str | None:
    value = request.args.get("return_to")
    return value if value in (RETURN_TO_CHECK, RETURN_TO_TASKS) else None


def _after_answer(
    state: AuditState, question_id: str, after: Assessment, returning: str | None
) -> str:
    """Where to go once this question is settled (`after`: the audit as it now stands).

    The chat goes on to the next unanswered question after this one that no colleague has
    open, so colleagues working on other domains are not sent over each other's questions.
    From the task list it goes back to the list once the domain has no unanswered question
    left.
    """
    journey = after.journey
    if returning == RETURN_TO_CHECK or journey.complete:
        return _next_url(journey, returning, changed=question_id)
    following = next_free_question(
        after.expected_route, after.fitted, _open_elsewhere(state), journey.next, question_id
    )
    if following is None:
        return url_for(".tasks")
    if returning == RETURN_TO_TASKS:
        domain = state.tree.question(question_id).domain
        if state.tree.question(following).domain != domain:
            return url_for(".tasks", done=domain)
    extra = {"return_to": returning} if returning else {}
    return url_for(".question", question_id=following, **extra) + "#question"


def _continue_url(state: AuditState) -> str:
    """Where Start and Continue lead: the first unanswered question no colleague has open.

    With every question left open on a colleague's screen, the task list, which says who is
    on which.
    """
    taken = _open_elsewhere(state)
    if state.journey.complete or state.journey.next not in taken:
        return _next_url(state.journey)
    assessment = state.assessment
    following = next_free_question(
        assessment.expected_route, assessment.fitted, taken, state.journey.next
    )
    if following is None:
        return url_for(".tasks")
    return url_for(".question", question_id=following) + "#question"


def _present(state: AuditState) -> list[store.Present]:
    """Who had a question of the audit open in the last PRESENCE_MINUTES, read once a request."""
    if "present" not in g:
        since = store.utc_now() - timedelta(minutes=PRESENCE_MINUTES)
        g.present = store.present(get_db(), state.audit["id"], since)
    return g.present


def _open_elsewhere(state: AuditState) -> set[str]:
    """The questions colleagues have had open lately (not this member)."""
    me = members.current_id()
    return {row.question_id for row in _present(state) if row.member.id != me}


def _presence(state: AuditState, me: int | None = None) -> list[presenters.Presence]:
    mine = me if me is not None else members.current_id()
    return presenters.people_here(state, _present(state), mine)


def _on_route(assessment: Assessment, question_id: str) -> bool:
    """Whether the question is on the team's route: due now, answered on it, or expected."""
    return assessment.journey.may_visit(question_id) or question_id in assessment.expected_route


def _typed_answer():
    """What was posted as the answer, cleaned of control characters: one text or a list."""
    values = [clean_input(value) for value in request.form.getlist("answer")]
    return values[0] if len(values) == 1 else values or None


def _removed_question(state: AuditState, question_id: str):
    """A question the tree no longer has: say so, and keep anything posted to it."""
    db = get_db()
    move = store.last_tree_move(db, state.audit["id"])
    old = tree_for_digest(db, move["from_digest"], state.tree) if move else None
    old_question = old.questions_by_id.get(question_id) if old else None
    if old_question is None and question_id not in state.records:
        abort(404)
    kept = None
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        value, note = _typed_answer(), clean_input(request.form.get("note", "")) or ""
        record = state.records.get(question_id)
        if record is None or (record.value, record.note) != (value, note):
            store.record_answer(
                db,
                state.audit["id"],
                question_id,
                value,
                note=note,
                respondent_id=members.member_id(),
                tree=state.tree,
            )
        kept = {"answer": value, "note": note}
    return render_template(
        "audit/removed.html",
        state=state,
        question_text=old_question.text if old_question else None,
        moved=presenters.tree_moved_at(move),
        kept=kept,
        record=state.records.get(question_id),
    ), 200


def _unchanged_from(state: AuditState, question_id: str) -> list[m.Question]:
    """In a re-audit, the questions from this one on in its domain that last time's answers
    settle, so the member can confirm them together."""
    previous = _last_time(state)
    if previous is None or state.audit["id"] is None:
        return []
    domain = state.tree.question(question_id).domain
    offered = {}
    for question in state.tree.questions:
        if question.domain == domain and question.id not in state.records:
            record = last_time_answer(previous, question)
            if record is not None:
                offered[question.id] = record.value
    run = unchanged_run(state.tree, state.assessment.fitted, offered, question_id)
    return [state.tree.question(each) for each in run]


@bp.route("/q/<question_id>/unchanged", methods=["GET", "POST"])
def unchanged(question_id: str):
    """Confirm, together, last time's answers to a run of questions of one domain."""
    state = _state()
    if question_id not in state.tree.questions_by_id:
        abort(404)
    questions = _unchanged_from(state, question_id)
    form = ConfirmForm()
    posted = form.validate_on_submit()
    expired = request.method == "POST" and not posted  # shown again, nothing saved
    if not questions:
        if expired:
            abort(400)
        return redirect(_question_url(question_id, None))
    previous = _last_time(state)
    if posted:
        db, me = get_db(), members.member_id()
        after, last = None, question_id
        for question in questions:
            record = last_time_answer(previous, question)
            # Last time's note stays its writer's: kept with the answer, in their name.
            kept = presenters.note_to_keep(record, None, last_time=True)
            try:
                after = store.record_answer(
                    db,
                    state.audit["id"],
                    question.id,
                    record.value,
                    respondent_id=me,
                    tree=state.tree,
                    expected=None,  # a colleague's answer given meanwhile is never replaced
                    kept_note=kept.text if kept else "",
                    kept_note_by=kept.by_id if kept else None,
                )
            except store.AnswerChanged:
                break
            last = question.id
        if after is None:
            return redirect(_question_url(question_id, None))
        return redirect(_after_answer(state, last, after, None))
    rows = []
    for question in questions:
        record = last_time_answer(previous, question)
        kept = presenters.note_to_keep(record, None, last_time=True)
        rows.append((question, presenters.display_answer(question, record.value), kept))
    return render_template(
        "audit/unchanged.html",
        state=state,
        form=form,
        question_id=question_id,
        domain=state.tree.domains_by_id[state.tree.question(question_id).domain],
        rows=rows,
        last_time_date=presenters.last_time_date(previous.audit),
    ), (422 if expired else 200)


def _offered_from_last_time(state: AuditState, question, record):
    """In a re-audit, last time's answer to a question not yet answered this time, or None."""
    return None if record else last_time_answer(_last_time(state), question)


def _shown_data(state: AuditState, question, record, draft: dict | None, me: int) -> dict:
    """What the question's form starts with: the member's draft, else the answer now.

    A colleague's answer, or in a re-audit last time's, is shown chosen, so confirming it
    changes nothing; but its note is never put in the member's own note box: it is shown apart,
    in its writer's name, to keep or not (`_offered_note`).
    """
    if draft:
        typed = draft["answer"]
        multiple = question.type == m.MULTIPLE_CHOICE
        return {
            "answer": typed if multiple else (typed[0] if typed else None),
            "note": draft["note"],
            "revision": draft["revision"],
        }
    shown = record or _offered_from_last_time(state, question, record)
    mine = record is not None and record.respondent_id == me
    return {
        "answer": stored_as_form_data(question, shown.value) if shown else None,
        "note": shown.note if mine else "",
        "revision": str(record.id) if record else "",
    }


def _record_shown(state: AuditState, question_id: str, revision) -> store.AnswerRecord | None:
    """The answer a form was shown with (its revision), which may be older than the latest."""
    record = state.records.get(question_id)
    if not isinstance(revision, int):
        return None
    if record is not None and record.id == revision:
        return record
    shown = store.answer_by_id(get_db(), state.audit["id"], revision)
    return shown if shown is not None and shown.question_id == question_id else None


def _offered_note(state: AuditState, question, record, me: int) -> presenters.NoteToKeep | None:
    """The note shown apart for the member to keep with their answer: a colleague's, or in a
    re-audit the note last time's answer was given with, in its writer's name."""
    if not question.note:
        return None
    carried = _offered_from_last_time(state, question, record)
    if carried is not None:
        return presenters.note_to_keep(carried, None, last_time=True)
    return presenters.note_to_keep(record, me)


def _keep_shown(record, offered: presenters.NoteToKeep | None, me: int) -> bool:
    """Whether the keep box starts ticked: for last time's note (a re-audit confirms it as it
    was), and for a note the member's own answer already keeps."""
    if offered is None:
        return False
    if offered.last_time:
        return True
    return record is not None and record.respondent_id == me and bool(record.kept_note)


def _note_kept(state: AuditState, question_id: str, me: int) -> presenters.NoteToKeep | None:
    """The note the member ticked to keep with their answer (`keep_note`: the id of the answer
    it was shown with), or None."""
    chosen = request.form.get("keep_note", "")
    if not chosen.isdigit():
        return None
    question = state.tree.question(question_id)
    offered = _offered_note(state, question, state.records.get(question_id), me)
    if offered is not None and offered.last_time:
        return offered if offered.answer_id == int(chosen) else None
    return presenters.note_to_keep(_record_shown(state, question_id, int(chosen)), me)


def _save_draft(state: AuditState, question_id: str, me: int, revision: int | None) -> None:
    """Keep what the member posted for the question, not saved as an answer, to show again."""
    store.save_draft(
        get_db(),
        me,
        state.audit["id"],
        question_id,
        answer=[clean_input(value) for value in request.form.getlist("answer")],
        note=clean_input(request.form.get("note", "")) or "",
        keep_note=int(request.form["keep_note"])
        if request.form.get("keep_note", "").isdigit()
        else None,
        revision="" if revision is None else str(revision),
    )


@bp.route("/q/<question_id>", methods=["GET", "POST"])
def question(question_id: str):
    state = _state()
    tree = state.tree
    if question_id not in tree.questions_by_id:
        return _removed_question(state, question_id)
    returning = _returning()
    current = tree.question(question_id)
    record = state.records.get(question_id)
    me = members.member_id() if request.method == "POST" else members.current_id()
    # An answer the member gave to a question that no longer applies stays in front of them
    # (the browser's Back from the "no longer applies" page comes here).
    if (
        request.method == "GET"
        and not _on_route(state.assessment, question_id)
        and not _answered_by(record, me)
    ):
        return redirect(_next_url(state.journey, returning))
    db = get_db()
    draft = None
    status = 200
    if request.method == "POST":
        # Checked against the answers as they fit, without evaluating the audit: a saved answer
        # is evaluated once, with the answer in it (`store.record_answer`).
        form = question_form(current, state.fitted)
    else:
        me = members.mark_present(state.audit["id"], question_id)
        if me is not None and state.audit["id"] is not None:
            draft = store.get_draft(db, me, state.audit["id"], question_id)
        form = question_form(
            current,
            state.assessment.fitted,
            data=_shown_data(state, current, record, draft, me),
        )
    if form.validate_on_submit():
        note = form.note.data or ""
        choice = request.form.get("conflict")
        if choice == CHANGE_MINE:
            _save_draft(state, question_id, me, form.expected_revision)
            return redirect(_question_url(question_id, returning))
        if choice == KEEP_THEIRS:
            kept_apart = record is not None and (record.value, record.note) != (form.cleaned, note)
            if kept_apart:
                store.record_disagreement(
                    db,
                    state.audit["id"],
                    question_id,
                    form.cleaned,
                    note=note,
                    respondent_id=me,
                    against_answer_id=record.id,
                )
            following = _after_answer(state, question_id, state.assessment, returning)
            asking = kept_apart and record.respondent_id is not None
            return redirect(_asking_name(me, following) if asking else following)
        keep = _note_kept(state, question_id, me)
        kept_note, kept_note_by = (keep.text, keep.by_id) if keep else ("", None)
        if record is None:
            unchanged = False
        elif record.respondent_id == me:
            unchanged = (record.value, record.note, record.kept_note) == (
                form.cleaned,
                note,
                kept_note,
            )
        else:  # confirming a colleague's answer, adding nothing of one's own, leaves it theirs
            unchanged = record.value == form.cleaned and not note
        try:
            if unchanged:
                after = _assessment_after(state, question_id, form.cleaned)
            else:
                after = store.record_answer(
                    db,
                    state.audit["id"],
                    question_id,
                    form.cleaned,
                    note=note,
                    respondent_id=me,
                    tree=state.tree,
                    expected=form.expected_revision,
                    kept_note=kept_note,
                    kept_note_by=kept_note_by,
                )
                if state.finished:
                    after = store.reopen_audit(db, state.audit["id"], tree=state.tree)
        except store.AnswerChanged as changed:
            _save_draft(state, question_id, me, changed.current.id)
            return _conflict_page(state, current, changed.current, form, returning, keep), 409
        except sqlite3.Error as error:
            current_app.logger.exception("Could not save an answer to %s", question_id)
            form.answer.errors = [storage_failure.answer_kept(error)]
            status = 503
        else:
            replaced = (
                record is not None and record.respondent_id not in (None, me) and not unchanged
            )
            # Whether a question is on the route rests on the answers before it (the tree
            # check refuses routes back and routing on a later answer), so the audit with
            # this answer in it says what the audit before it would have said.
            if not _on_route(after, question_id):
                return render_template(
                    "audit/off_path.html",
                    state=state,
                    question=current,
                    reason=presenters.off_path_reason(state, question_id),
                    kept=presenters.display_answer(current, form.cleaned),
                    note=note,
                    next_url=_next_url(state.journey, returning),
                    back_url=_question_url(question_id, returning),
                )
            following = _after_answer(state, question_id, after, returning)
            return redirect(_asking_name(me, following) if replaced else following)
    route = state.assessment.expected_route
    off_path = (
        None
        if _on_route(state.assessment, question_id)
        else presenters.off_path_reason(state, question_id)
    )
    at = route.index(question_id) if question_id in route else 0
    previous = route[at - 1] if at else None
    if (
        returning == RETURN_TO_TASKS
        and previous
        and tree.question(previous).domain != current.domain
    ):
        previous = None
    carried = _offered_from_last_time(state, current, record)
    back_url = (
        _check_row_url(question_id)
        if returning == RETURN_TO_CHECK
        else url_for(".tasks")
        if returning == RETURN_TO_TASKS and not previous
        else url_for(".question", question_id=previous, return_to=returning)
        if previous
        else url_for(".start", intro=1)
    )
    colleague = record if record is not None and record.respondent_id != me else None
    offered_note = _offered_note(state, current, record, me)
    if request.method == "POST":
        keep_checked = offered_note is not None and request.form.get("keep_note") == str(
            offered_note.answer_id
        )
    elif draft and offered_note is not None:
        keep_checked = draft["keep_note"] == offered_note.answer_id
    else:
        keep_checked = _keep_shown(record, offered_note, me)
    return render_template(
        "audit/question.html",
        state=state,
        question=current,
        form=form,
        record=record,
        colleague=colleague,
        colleague_answer=presenters.display_answer(current, colleague.value) if colleague else "",
        offered_note=offered_note,
        keep_checked=keep_checked,
        draft=draft,
        member=members.member_token(),
        who=presenters.who,
        clock_time=presenters.clock_time,
        carried=carried,
        carried_answer=presenters.display_answer(current, carried.value) if carried else "",
        last_time_date=presenters.last_time_date(_last_time(state).audit) if carried else "",
        unchanged_count=len(_unchanged_from(state, question_id)) if carried else 0,
        returning=returning,
        back_url=back_url,
        off_path=off_path,
        people_here=_presence(state, me),
        sections=presenters.answered_sections(state, stop_at=question_id),
        progress=presenters.progress(state, question_id),
        domain=tree.domains_by_id[current.domain],
        optional_count=presenters.questions_after_the_choice(
            tree, tree.domains_by_id[current.domain]
        ),
    ), (status if status != 200 else 422 if form.errors else 200)


def _typed_differs(state: AuditState, question, record, me: int) -> bool:
    """True if the posted form holds something other than what the question page would show."""
    shown = _shown_data(state, question, record, None, me)
    shown_answer = shown["answer"]
    if shown_answer is None:
        shown_answer = []
    elif not isinstance(shown_answer, list):
        shown_answer = [str(shown_answer)]
    typed = [clean_input(value) for value in request.form.getlist("answer")]
    note = clean_input(request.form.get("note", "")) or ""
    kept_shown = _keep_shown(record, _offered_note(state, question, record, me), me)
    return (
        [value for value in typed if value] != [str(value) for value in shown_answer]
        or note != shown["note"]
        or bool(request.form.get("keep_note")) != kept_shown
    )


@bp.post("/q/<question_id>/draft")
def keep_draft(question_id: str):
    """Switch language from a question without losing what is typed: it is kept as a draft.

    The question page's language buttons post its form here. A form whose CSRF token has
    expired comes back as the question page, in the new language, with what was typed.
    """
    language = request.args.get("language")
    if language in LANGUAGES:
        session["language"] = language
    state = _state()
    if question_id not in state.tree.questions_by_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return question(question_id)
    me = members.member_id()
    record = state.records.get(question_id)
    if _typed_differs(state, state.tree.question(question_id), record, me):
        revision = request.form.get("revision", "")
        _save_draft(state, question_id, me, int(revision) if revision.isdigit() else None)
    return redirect(_question_url(question_id, _returning()))


def _answered_by(record: store.AnswerRecord | None, me: int) -> bool:
    return record is not None and record.respondent_id == me


def _question_url(question_id: str, returning: str | None) -> str:
    return url_for(".question", question_id=question_id, return_to=returning) + "#question"


ASKED_NAME_KEY = "asked_name"


def _asking_name(me: int, following: str) -> str:
    """Where to go after an answer that replaces a colleague's (or is kept as a disagreement):
    `following`, or first, once, a polite request for a name if the member gave none."""
    respondent = store.get_respondent(get_db(), me)
    asked = session.get(ASKED_NAME_KEY, [])
    if respondent is None or respondent["name"] or me in asked:
        return following
    session[ASKED_NAME_KEY] = [*asked[-19:], me]
    return url_for(".name", next=following)


def _local_next() -> str:
    """The `next` page of this audit to go on to, or the audit's start."""
    target = request.args.get("next", "")
    ours = url_for(".start")
    return target if target.startswith(ours) and "//" not in target else ours


def _answering_as(name: str, role: str) -> None:
    """Make this browser's member the one with this name and role.

    Someone else may have used this browser before: a change of name is a new member, never a
    new name on another person's answers.
    """
    respondent_id = members.current_id()
    current = store.get_respondent(get_db(), respondent_id) if respondent_id else None
    if current is None or (current["name"], current["role"]) != (name, role):
        members.remember(store.add_respondent(get_db(), g.team["id"], name, role, members.device()))


@bp.route("/name", methods=["GET", "POST"])
def name():
    """Who is answering: asked of a new member right after Start (`first`), and once of a
    member who gave no name when a colleague answered the same question."""
    following = _local_next()
    first = request.args.get("first") == "1"
    form = RespondentForm(data=site.typed_before_switch() if request.method == "GET" else None)
    if form.validate_on_submit():
        if first:
            _answering_as(form.name.data or "", form.role.data or "")
        elif form.name.data or form.role.data:
            store.name_respondent(get_db(), members.member_id(), form.name.data, form.role.data)
        return redirect(following)
    if first:
        return render_template(
            "audit/name.html", state=_state(), form=form, following=following, first=True
        ), 422 if form.errors else 200
    me = members.member_id()
    respondent = store.get_respondent(get_db(), me)
    described = presenters.member_words(
        store.Member(
            me,
            respondent["name"],
            respondent["role"],
            respondent["device"],
            respondent["created"],
        )
    )
    return render_template(
        "audit/name.html",
        state=_state(),
        form=form,
        following=following,
        described=described,
    ), 422 if form.errors else 200


def _conflict_page(state, question, theirs, form, returning, keep) -> str:
    """Both answers side by side, and three choices: use mine, keep theirs, change mine."""
    mine = form.cleaned
    return render_template(
        "audit/conflict.html",
        state=state,
        question=question,
        theirs=theirs,
        theirs_answer=presenters.display_answer(question, theirs.value),
        theirs_who=presenters.who(theirs),
        theirs_kept_note_by=presenters.member_words(theirs.kept_note_by),
        theirs_when=presenters.time_ago(theirs.answered_at),
        theirs_first=form.expected_revision is None,  # no answer when the member opened it
        sentence_start=presenters.sentence_start,
        mine_answer=presenters.display_answer(question, mine),
        mine_note=form.note.data or "",
        mine_keep=keep,
        mine_values=(mine if isinstance(mine, list) else [] if mine is None else [str(mine)]),
        member=members.member_token(),
        returning=returning,
        form=form,
    )


@bp.route("/tasks")
def tasks():
    state = _state()
    done = request.args.get("done")
    return render_template(
        "audit/tasks.html",
        state=state,
        tasks=domain_tasks(state.tree, state.assessment.fitted),
        done=state.tree.domains_by_id.get(done) if done else None,
        people_here=_presence(state),
    )


def _check_page(state: AuditState, form: ConfirmForm) -> str:
    return render_template(
        "audit/check.html",
        state=state,
        form=form,
        who=presenters.who,
        sections=presenters.answered_sections(state, include_upcoming=True),
        disagreements=presenters.disagreements(
            state,
            store.answer_log(get_db(), state.audit["id"]),
            store.disagreements(get_db(), state.audit["id"]),
        ),
        answerers=presenters.answerers_on_route(state),
        movement=presenters.movement_view(state, _last_time(state)),
    )


@bp.route("/check")
def check():
    return _check_page(_state(), ConfirmForm())


@bp.post("/finish")
def finish():
    state = _state()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _check_page(state, form), 422
    if not state.journey.complete:
        return redirect(url_for(".check"))
    if not state.finished:
        store.finish_audit(get_db(), state.audit["id"], tree=state.tree)
    return redirect(url_for(".result"))


@bp.post("/reopen")
def reopen():
    state = _state()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _check_page(state, form), 422
    if state.finished:
        store.reopen_audit(get_db(), state.audit["id"], tree=state.tree)
    return redirect(url_for(".check"))


@bp.route("/result")
def result():
    state = _state()
    view = presenters.result_view(state)
    if view is None or not state.finished:
        return redirect(_next_url(state.journey))
    return render_template(
        "audit/result.html",
        state=state,
        view=view,
        form=ConfirmForm(),
        movement=presenters.movement_view(state, _last_time(state)),
        plan_url=url_for(".action_plan"),
        past=False,
        record=audit_record(state),
    )


def _earlier_finished_state(audit_id: int) -> AuditState:
    """Load one of the team's earlier finished audits: 404 for another team's or an open one."""
    db = get_db()
    audit = store.get_audit(db, audit_id)
    if audit is None or audit["team_id"] != g.team["id"] or audit["status"] != store.FINISHED:
        abort(404)
    return load_audit_state(db, current_tree(), g.team, audit)


@bp.route("/audits/<int:audit_id>/result")
def past_result(audit_id: int):
    """An earlier audit's result, read-only: it keeps the tree and answers it was finished with."""
    state = _earlier_finished_state(audit_id)
    if state.audit["id"] == _state().audit["id"]:
        return redirect(url_for(".result"))
    return render_template(
        "audit/result.html",
        state=state,
        view=presenters.result_view(state),
        form=None,
        movement=presenters.movement_view(
            state, load_previous_state(get_db(), current_tree(), state)
        ),
        plan_url=url_for(".past_action_plan", audit_id=audit_id),
        past=True,
        record=audit_record(state),
    )


@bp.route("/audits/<int:audit_id>/action-plan.docx")
def past_action_plan(audit_id: int):
    return plan_download(_earlier_finished_state(audit_id))


@bp.route("/next-audit", methods=["GET", "POST"])
def next_audit():
    """Start the team's next audit from a finished one, after a confirmation page."""
    state = _state()
    form = ConfirmForm()
    refused = form.is_submitted() and not form.validate()
    if not state.finished and not refused:
        return redirect(url_for(".start", intro=1))
    if form.is_submitted() and not refused:
        tree = current_tree()
        store.start_new_audit(
            get_db(),
            g.team["id"],
            tree_id=tree.id,
            tree_version=tree.version,
            tree_digest=tree.digest,
            replacing=state.audit["id"],
        )
        return redirect(url_for(".start", intro=1))
    return render_template(
        "audit/next_audit.html",
        state=state,
        form=form,
        finished_date=presenters.last_time_date(state.audit),
    ), 422 if form.errors else 200


@bp.route("/action-plan.docx")
def action_plan():
    return plan_download(_state())
