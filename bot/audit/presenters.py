"""Turn an audit's state into what the pages show, in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_decimal, format_timedelta, gettext
from flask_babel import lazy_gettext as _l

from bot.audit.state import AuditState
from bot.store import AnswerRecord, Member, utc_now
from bot.tree import model as m
from bot.tree.engine import Reason
from bot.tree.movement import IMPROVED, movement

STATUS_LABELS = {
    m.MET: _l("Met"),
    m.PARTLY_MET: _l("Partly met"),
    m.NOT_MET: _l("Not met"),
    m.NOT_ANSWERED: _l("Not answered yet"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def format_number(value: float | int) -> str:
    return format_decimal(value, format="#,##0.##")


def display_answer(question: m.Question, value: Any) -> str:
    """Show a stored answer as words: option labels, formatted numbers, the text typed."""
    if question.type in (m.SINGLE_CHOICE, m.YES_NO):
        option = question.option(value) if isinstance(value, str) else None
        return gettext(option.label) if option else gettext("Not answered")
    if question.type == m.MULTIPLE_CHOICE:
        labels = [
            gettext(option.label) for option in question.options if option.value in (value or [])
        ]
        return "; ".join(labels) if labels else gettext("None chosen")
    if question.type in m.NUMBER_TYPES:
        if value is None:
            return gettext("Not answered")
        number = format_number(value)
        if question.unit == "%":  # 20%, as GOV.UK writes it, not "20 %"
            return f"{number}%"
        return f"{number} {gettext(question.unit)}" if question.unit else number
    return value if value else gettext("Left blank")


def render_reason(tree: m.Tree, reason: Reason | None) -> str:
    if reason is None:
        return ""

    def show(name_value: Any) -> str:
        if isinstance(name_value, bool):
            return gettext("yes") if name_value else gettext("no")
        if isinstance(name_value, (int, float)):
            return format_number(name_value)
        return str(name_value) if name_value is not None else ""

    params = {}
    for name, value in reason.params.items():
        question = tree.questions_by_id.get(name)
        params[name] = display_answer(question, value) if question and question.options else value
    return Reason(reason.text, params).render(gettext, show)


def short_date(moment) -> str:
    return format_date(moment, format="d MMM yyyy")


UK = ZoneInfo("Europe/London")
DEVICE_WORDS = {
    "phone": _l("a member without a name, on a phone, since %(time)s"),
    "tablet": _l("a member without a name, on a tablet, since %(time)s"),
    "computer": _l("a member without a name, on a computer, since %(time)s"),
}


def clock_time(moment: datetime) -> str:
    """UK time of day, with the date unless it is today: "10:32", "3 May 2026, 10:32"."""
    local = moment.astimezone(UK)
    if local.date() == utc_now().astimezone(UK).date():
        return f"{local:%H:%M}"
    return f"{format_date(local.date(), format='d MMM yyyy')}, {local:%H:%M}"


def member_words(member: Member | None) -> str:
    """Name a member: their name and role, or, without a name, how to tell them apart."""
    if member is None:
        return gettext("someone in the team")
    if member.name:
        return person(member.name, member.role)
    if member.since is None:
        return gettext("someone in the team")
    words = DEVICE_WORDS.get(member.device)
    time = clock_time(member.since)
    if words is None:
        return gettext("a member without a name, since %(time)s", time=time)
    return str(words) % {"time": time}


def sentence_start(text: str) -> str:
    """Begin a sentence with `text`: its first letter a capital, the rest as it is."""
    return text[:1].upper() + text[1:]


def who(record: AnswerRecord) -> str:
    return member_words(record.author)


def time_ago(moment) -> str:
    """Say how long ago a moment was, in words: "3 minutes ago"."""
    return format_timedelta(moment - utc_now(), add_direction=True)


def person(name: str | None, role: str | None) -> str:
    if not name:
        return gettext("someone in the team")
    return gettext("%(name)s (%(role)s)", name=name, role=role) if role else name


def tree_moved_at(move: dict | None) -> datetime | None:
    """When an audit was moved to a newer tree (`store.last_tree_move` keeps it as text)."""
    return datetime.fromisoformat(move["moved"]) if move else None


def routes_on_its_answer(question: m.Question) -> bool:
    return bool(question.routes) or any(option.next for option in question.options)


@dataclass(frozen=True)
class OffPath:
    """Why a question is off the team's route; `cause` is the question whose answer moved it."""

    text: str
    cause: str | None = None

    def __str__(self) -> str:
        return self.text


def off_path_reason(state: AuditState, question_id: str) -> OffPath:
    """Say why a question is off the team's route: whose change, to what, or the tree update.

    The cause named is the latest change to a branching question on the route, unless the
    questions were updated after it.
    """
    tree = state.tree
    if question_id not in tree.questions_by_id:
        return OffPath(gettext("This question was removed when the questions were updated."))
    changes = [
        state.records[q]
        for q in state.assessment.expected_route
        if q in state.assessment.fitted and routes_on_its_answer(tree.question(q))
    ]
    cause = max(changes, key=lambda record: record.id) if changes else None
    moved = tree_moved_at(state.tree_move)
    if moved and (cause is None or moved > cause.answered_at):
        return OffPath(
            gettext(
                "This question no longer applies because the questions were updated on %(date)s.",
                date=short_date(moved),
            )
        )
    if cause is None:
        return OffPath(gettext("This question no longer applies to your team’s answers."))
    question = tree.question(cause.question_id)
    return OffPath(
        gettext(
            "This question no longer applies because %(who)s changed ‘%(question)s’ to "
            "‘%(answer)s’ at %(time)s.",
            who=who(cause),
            question=gettext(question.text),
            answer=display_answer(question, cause.value),
            time=clock_time(cause.answered_at),
        ),
        cause.question_id,
    )


@dataclass
class Presence:
    who: str  # begins a sentence
    question_id: str | None  # the question they have open, None if the tree no longer has it
    question: str  # its text, translated
    when: str


def people_here(state: AuditState, present: list, me: int | None) -> list[Presence]:
    """Who else has had a question of the audit open lately, and which (`store.present`)."""
    tree = state.tree
    seen = []
    for row in present:
        if row.member.id == me:
            continue
        question = tree.questions_by_id.get(row.question_id)
        seen.append(
            Presence(
                sentence_start(member_words(row.member)),
                question.id if question else None,
                gettext(question.text) if question else "",
                time_ago(row.seen),
            )
        )
    return seen


@dataclass(frozen=True)
class NoteToKeep:
    """A note a member may keep with their own answer, in its writer's name."""

    answer_id: int  # the answer it was shown with
    text: str
    by_id: int | None
    by: str  # the writer, in words
    kept: bool  # already kept by the answer's author, not written by them
    last_time: bool = False  # given with last time's answer, offered in a re-audit


def note_to_keep(
    record: AnswerRecord | None, me: int | None, last_time: bool = False
) -> NoteToKeep | None:
    """The note of `record` a member could keep with their answer, or None.

    A colleague's own note (anyone's, with `me` None); else a note the answer's author had kept
    from someone else (the member's own kept note, when the answer is theirs).
    """
    if record is None:
        return None
    if record.note and (me is None or record.respondent_id != me):
        return NoteToKeep(
            record.id, record.note, record.respondent_id, who(record), False, last_time
        )
    if record.kept_note:
        return NoteToKeep(
            record.id,
            record.kept_note,
            record.kept_note_by_id,
            member_words(record.kept_note_by),
            True,
            last_time,
        )
    return None


@dataclass
class Version:
    answer: str
    note: str
    who: str
    when: str
    current: bool = False  # the team's answer now
    kept_apart: bool = False  # kept as a disagreement, never the team's answer
    kept_note: str = ""
    kept_note_by: str = ""


@dataclass
class Disagreement:
    question: m.Question
    versions: list[Version]


def _when(moment: datetime) -> str:
    return format_date(moment, "d MMM yyyy") + ", " + time_ago(moment)


def disagreements(
    state: AuditState, log: dict[str, list[AnswerRecord]], recorded: dict[str, list] | None = None
) -> list[Disagreement]:
    """The answers on the route people gave differently, with each version and who gave it.

    A question is listed when more than one person set it to different answers, or when a
    member kept their own answer as a disagreement (`store.disagreements`, "Keep their
    answer"): theirs is listed among the versions, though it never became the team's answer.
    """
    tree = state.tree
    recorded = recorded or {}
    found = []
    for question_id in state.assessment.expected_route:
        chain = log.get(question_id, [])
        kept_apart = recorded.get(question_id, [])
        people = {record.respondent_id for record in chain}
        values = {repr(record.value) for record in chain}
        if not kept_apart and (len(people) < 2 or len(values) < 2):
            continue
        question = tree.question(question_id)
        dated = [
            (
                record.answered_at,
                Version(
                    display_answer(question, record.value),
                    record.note,
                    who(record),
                    _when(record.answered_at),
                    current=record is chain[-1],
                    kept_note=record.kept_note,
                    kept_note_by=member_words(record.kept_note_by) if record.kept_note else "",
                ),
            )
            for record in chain
            if record.previous is None
            or (record.previous.value, record.previous.note, record.previous.kept_note)
            != (record.value, record.note, record.kept_note)
        ]
        dated += [
            (
                apart.recorded,
                Version(
                    display_answer(question, apart.value),
                    apart.note,
                    member_words(apart.by),
                    _when(apart.recorded),
                    kept_apart=True,
                ),
            )
            for apart in kept_apart
        ]
        dated.sort(key=lambda pair: pair[0])
        found.append(Disagreement(question, [version for _, version in dated]))
    return found


def answerers_on_route(state: AuditState) -> dict[int | None, str]:
    """Who gave the current answers on the route: respondent id to name, in answer order."""
    route = state.assessment.expected_route
    records = [state.records[q] for q in route if q in state.assessment.fitted]
    return {record.respondent_id: who(record) for record in records}


@dataclass
class AnsweredQuestion:
    """One answer on the path, put into words when a page shows it."""

    tree: m.Tree
    question: m.Question
    record: AnswerRecord | None

    @cached_property
    def answer(self) -> str:
        return display_answer(self.question, self.record.value if self.record else None)

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""

    @property
    def kept_note(self) -> str:
        return self.record.kept_note if self.record else ""

    @cached_property
    def kept_note_by(self) -> str:
        return member_words(self.record.kept_note_by) if self.kept_note else ""

    @cached_property
    def changed(self) -> str:
        return _changed_note(self.tree, self.record) if self.record else ""


@dataclass
class DomainSection:
    domain: m.Domain
    items: list[AnsweredQuestion] = field(default_factory=list)
    upcoming: list[m.Question] = field(default_factory=list)


def _changed_note(tree: m.Tree, record: AnswerRecord) -> str:
    previous = record.previous
    if previous is None or previous.respondent_id == record.respondent_id:
        return ""
    question = tree.questions_by_id[record.question_id]
    return gettext(
        "changed by %(who)s, %(date)s; was: %(was)s",
        who=who(record),
        date=short_date(record.answered_at),
        was=display_answer(question, previous.value),
    )


def answered_sections(
    state: AuditState, *, include_upcoming: bool = False, stop_at: str | None = None
) -> list[DomainSection]:
    """Group the answers on the current path by domain, in the order they were asked."""
    tree = state.tree
    sections: dict[str, DomainSection] = {}
    # The check page also shows answers given past a gap (members sharing the work out);
    # the chat transcript shows the conversation up to the question being asked.
    route = state.assessment.expected_route if include_upcoming else None
    answered = [q for q in route if q in state.assessment.fitted] if route else state.journey.path
    for question_id in answered:
        if question_id == stop_at:
            break
        question = tree.question(question_id)
        record = state.records.get(question_id)
        section = sections.setdefault(
            question.domain, DomainSection(tree.domains_by_id[question.domain])
        )
        section.items.append(AnsweredQuestion(tree, question, record))
    if include_upcoming:
        for question_id in (q for q in route if q not in state.assessment.fitted):
            question = tree.question(question_id)
            sections.setdefault(
                question.domain, DomainSection(tree.domains_by_id[question.domain])
            ).upcoming.append(question)
    order = {domain.id: index for index, domain in enumerate(tree.domains)}
    return sorted(sections.values(), key=lambda section: order[section.domain.id])


@dataclass
class DescriptorView:
    descriptor: m.Descriptor
    status: str
    status_label: str
    because: str
    actions: list[m.Action]
    action_texts: list[str]  # each action's sentence with the team's figures in it


@dataclass
class DomainResult:
    domain: m.Domain
    descriptors: list[DescriptorView]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, status: str) -> int:
        return round(100 * self.counts[status] / self.total) if self.total else 0


def domain_results(state: AuditState) -> list[DomainResult]:
    tree = state.tree
    results = []
    for domain in tree.domains:
        views = []
        for descriptor in tree.descriptors:
            if descriptor.domain != domain.id:
                continue
            outcome = state.evaluation.descriptors[descriptor.id]
            views.append(
                DescriptorView(
                    descriptor,
                    outcome.status,
                    status_label(outcome.status),
                    render_reason(tree, outcome.because),
                    list(outcome.actions),
                    [render_reason(tree, outcome.action_text(a)) for a in outcome.actions],
                )
            )
        if not views:
            continue
        counts = {
            status: sum(1 for view in views if view.status == status)
            for status in (*m.STATUSES, m.NOT_ANSWERED)
        }
        results.append(DomainResult(domain, views, counts))
    return results


@dataclass
class ResultView:
    result: m.Result
    reasons: list[DescriptorView]  # behind the result, less those a raised flag explains
    flags: list[m.Flag]
    to_reach_result: m.Result | None
    to_reach: list[m.Descriptor]
    domains: list[DomainResult]


def result_view(state: AuditState) -> ResultView | None:
    evaluation = state.evaluation
    if evaluation.classification is None:
        return None
    tree = state.tree
    domains = domain_results(state)
    by_id = {view.descriptor.id: view for domain in domains for view in domain.descriptors}
    to_reach = evaluation.to_reach
    flags = [tree.flags_by_id[flag_id] for flag_id in evaluation.flags]
    # A raised flag's explanation already says why its descriptor is not met; said once.
    explained = {flag.descriptor for flag in flags}
    return ResultView(
        result=tree.results_by_id[evaluation.classification],
        reasons=[by_id[d] for d in evaluation.reasons if d not in explained],
        flags=flags,
        to_reach_result=tree.results_by_id[to_reach.result] if to_reach else None,
        to_reach=[tree.descriptors_by_id[d] for d in to_reach.change] if to_reach else [],
        domains=domains,
    )


def progress(state: AuditState, question_id: str) -> dict[str, Any]:
    """Where the question stands on the expected route, also past questions left for others.

    The questions after an optional block's choice are counted apart ("Optional question 2 of
    5"): counted in, "Question 40 of about 46" would end at 40 for every team that skips them.
    """
    optional = optional_question_ids(state.tree)
    route = [
        q for q in state.assessment.expected_route if (q in optional) == (question_id in optional)
    ]
    position = route.index(question_id) + 1 if question_id in route else len(route) + 1
    total = max(len(route), position)
    return {
        "position": position,
        "total": total,
        "optional": question_id in optional,
        "percent": round(100 * (position - 1) / total) if total else 0,
    }


@dataclass
class MovedDescriptor:
    title: str
    before_status: str
    after_status: str
    before: str  # the statuses' labels, translated
    after: str
    direction: str  # movement.IMPROVED or WORSENED
    direction_label: str


@dataclass
class MovementView:
    """ "Since your last audit": the classification then and now, and what moved."""

    previous_audit_id: int
    since: str  # when the last audit finished, like "March 2026"
    before: str  # result titles, translated; after is "" until every question is answered
    after: str
    result_changed: bool
    moves: list[MovedDescriptor]
    unchanged: int


def last_time_date(audit: dict) -> str:
    """Name the month an earlier audit finished in, as "Last time (March 2026)" does."""
    return format_date(audit["finished"] or audit["started"], format="MMMM yyyy")


def _result_title(state: AuditState, result_id: str | None) -> str:
    result = state.tree.results_by_id.get(result_id) if result_id else None
    return gettext(result.title) if result else ""


def movement_view(state: AuditState, previous: AuditState | None) -> MovementView | None:
    """Compare this audit with last time's, in the user's language; None with no last time."""
    if previous is None:
        return None
    moved = movement(previous.assessment, state.assessment)
    titles = state.tree.descriptors_by_id
    return MovementView(
        previous_audit_id=previous.audit["id"],
        since=last_time_date(previous.audit),
        before=_result_title(previous, moved.before),
        after=_result_title(state, moved.after),
        result_changed=moved.result_changed,
        moves=[
            MovedDescriptor(
                gettext(titles[move.descriptor].title),
                move.before,
                move.after,
                status_label(move.before),
                status_label(move.after),
                move.direction,
                gettext("Moved forward") if move.direction == IMPROVED else gettext("Moved back"),
            )
            for move in moved.moves
        ],
        unchanged=moved.unchanged,
    )


@dataclass
class PastAudit:
    """One of the team's earlier audits, as the start page lists it."""

    audit: dict
    finished: bool
    result: str  # the result's title, translated; "" for an audit left unfinished


def past_audits(states: list[AuditState]) -> list[PastAudit]:
    """List earlier audits (already loaded and assessed), newest first."""
    return [
        PastAudit(
            past.audit,
            past.finished,
            _result_title(past, past.assessment.result) if past.finished else "",
        )
        for past in states
    ]


def things_to_have_ready(tree: m.Tree) -> list[str]:
    """Return what to have to hand before starting: each question's `ready`, once, in order."""
    seen: dict[str, None] = {}
    for question in tree.questions:
        if question.ready:
            seen.setdefault(gettext(question.ready), None)
    return list(seen)


def _after_the_choice(tree: m.Tree, domain: m.Domain) -> list[str]:
    """An optional domain's questions after its first, which asks whether to answer them."""
    if not domain.optional:
        return []
    return [question.id for question in tree.questions if question.domain == domain.id][1:]


def optional_question_ids(tree: m.Tree) -> set[str]:
    return {
        question_id for domain in tree.domains for question_id in _after_the_choice(tree, domain)
    }


def questions_after_the_choice(tree: m.Tree, domain: m.Domain) -> int:
    return len(_after_the_choice(tree, domain))


def optional_question_count(tree: m.Tree) -> int:
    return len(optional_question_ids(tree))


#: Minutes a question takes once its figures are to hand: the start page's estimate rests on it.
MINUTES_PER_QUESTION = 1


def minutes_needed(question_count: int) -> int:
    """Return an estimate for `question_count` questions, rounded up to 5 minutes."""
    minutes = question_count * MINUTES_PER_QUESTION
    return max(5, -(-minutes // 5) * 5)


@dataclass
class DomainQuestions:
    domain: m.Domain
    questions: list[m.Question]


def questions_by_domain(tree: m.Tree) -> list[DomainQuestions]:
    """Every question of the tree grouped by domain, in tree order: the printable list."""
    grouped = [
        DomainQuestions(domain, [q for q in tree.questions if q.domain == domain.id])
        for domain in tree.domains
    ]
    return [group for group in grouped if group.questions]
