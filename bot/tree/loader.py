"""Load a question-tree YAML file into a `Tree`, or fail with every mistake located.

Each problem names the file, the line and the id of the question, descriptor or result it is
in. Static checks happen here; the path enumeration that proves every path ends with a
classification lives in `check` and runs on the built tree.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from bot.resources import DEFAULT_TREE
from bot.tree import model as m
from bot.tree.check import prove
from bot.tree.expressions import Expression, ExpressionError, compared_literals, parse
from bot.tree.problems import Problem, TreeError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
READY_MAX_LENGTH = 120


class LineDict(dict):
    """A mapping from YAML that remembers the line it started on."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Return the line of `key` in this mapping, or the mapping's first line."""
        return getattr(self, "key_lines", {}).get(key, self.line)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TreeYamlLoader(_BaseLoader):
    """Safe loader with line numbers, duplicate-key detection and only true/false as booleans."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                self.duplicates.append((key_node.start_mark.line + 1, str(key)))
            seen.add(key)
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(key_node.value): key_node.start_mark.line + 1 for key_node, _ in node.value
        }
        return mapping


TreeYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
TreeYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
TreeYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, TreeYamlLoader.construct_mapping
)


def read_tree_text(path: Path) -> str:
    """Read a tree file as UTF-8; a file that is not says where, as a `TreeError`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TreeError([Problem(str(path), 0, "", f"cannot read the file: {error}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"column {column}: byte 0x{raw[error.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8"
        )
        raise TreeError([Problem(str(path), line, "", message)]) from None


def read_tree(path: str | Path | None = None) -> m.Tree:
    """Load and validate the tree at `path`, without proving it (`load_tree` proves it)."""
    path = Path(path) if path else DEFAULT_TREE
    return parse_tree(read_tree_text(path), str(path))


def load_tree(path: str | Path | None = None) -> m.Tree:
    """Load, validate and prove the tree at `path`."""
    return prove(read_tree(path))


def parse_tree(text: str, file: str = "<tree>") -> m.Tree:
    """Build a `Tree` from YAML text, raising `TreeError` with every static problem."""
    document, duplicates = tree_document(text, file)
    return build_tree(document, file, text_digest(text), duplicates)


def text_digest(text: str) -> str:
    """The content hash a tree's text gives it (`Tree.digest`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_document(text: str, file: str = "<tree>") -> tuple[Any, list[tuple[int, str]]]:
    """Parse tree YAML into its document (mappings as `LineDict`) and its duplicate keys.

    Text that is not YAML raises `TreeError` with the line it fails on.
    """
    loader = TreeYamlLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise TreeError([Problem(file, line, "", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    return document, loader.duplicates


def build_tree(
    document: Any, file: str, digest: str, duplicates: list[tuple[int, str]] = ()
) -> m.Tree:
    """Build a `Tree` from a parsed document, raising `TreeError` with every static problem."""
    builder = _Builder(file, digest)
    for line, key in duplicates:
        builder.problem(line, "", f"duplicate key {key!r}")
    tree = builder.build(document)
    if builder.problems:
        raise TreeError(builder.problems)
    return tree


class _Builder:
    def __init__(self, file: str, digest: str):
        self.file = file
        self.digest = digest
        self.problems: list[Problem] = []

    def problem(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, where, message))

    # -- field helpers ---------------------------------------------------------------------

    def text(self, data: LineDict, key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data.line, where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(data.line, where, f"'{key}' must be text")
            return ""
        return value.strip()

    def ready(self, data: LineDict, where: str) -> str:
        """Read a question's `ready`: what to have to hand, listed on the start page."""
        value = self.text(data, "ready", where, required=False)
        if len(value) > READY_MAX_LENGTH:
            self.problem(
                data.line_of("ready"),
                where,
                f"'ready' is a short item for the start page's list: at most "
                f"{READY_MAX_LENGTH} characters, got {len(value)}",
            )
        return value

    def ident(self, data: LineDict, key: str, where: str) -> str:
        value = data.get(key)
        if value is None:
            self.problem(data.line, where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(
                data.line, where, f"'{key}' must be a snake_case id (a-z, 0-9, _), got {value!r}"
            )
            return str(value)
        return value

    def items(self, data: Any, key: str, where: str, line: int) -> list[LineDict]:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(line, where, f"'{key}' must be a list")
            return []
        good = []
        for item in value:
            if isinstance(item, LineDict):
                good.append(item)
            else:
                self.problem(line, where, f"every entry of '{key}' must be a mapping, got {item!r}")
        return good

    def texts(self, data: LineDict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(data.line, where, f"'{key}' must be a list of text")
            return ()
        return tuple(item.strip() for item in value)

    def ids(self, data: LineDict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(item, str) and ID_PATTERN.match(item) for item in value
        ):
            self.problem(data.line, where, f"'{key}' must be a list of snake_case ids")
            return ()
        return tuple(value)

    def flag_value(self, data: LineDict, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(data.line, where, f"'{key}' must be true or false, got {value!r}")
            return default
        return value

    def expression(self, data: LineDict, key: str, where: str) -> Expression | None:
        if key not in data:
            return None
        try:
            return parse(data[key])
        except ExpressionError as error:
            self.problem(data.line_of(key), where, f"'{key}': {error}")
            return None

    def unique(self, entries: list[Any], kind: str, where: str = "") -> None:
        seen: dict[str, int] = {}
        for entry in entries:
            if entry.id in seen:
                self.problem(
                    entry.line,
                    where or f"{kind} {entry.id}",
                    f"duplicate {kind} id '{entry.id}' (first on line {seen[entry.id]})",
                )
            else:
                seen[entry.id] = entry.line

    # -- sections --------------------------------------------------------------------------

    def build(self, document: Any) -> m.Tree:
        if not isinstance(document, LineDict):
            self.problem(
                1,
                "",
                "the file must be a mapping with 'tree', 'domains', "
                "'questions', 'descriptors' and 'classification'",
            )
            document = LineDict()
            document.line = 1
        head = document.get("tree")
        if not isinstance(head, LineDict):
            self.problem(document.line, "tree", "'tree' (id, version, title) is missing")
            head = LineDict()
            head.line = document.line
        tree_id = self.ident(head, "id", "tree")
        version = head.get("version")
        if not isinstance(version, (str, int, float)) or isinstance(version, bool):
            self.problem(head.line, "tree", "'version' is missing")
            version = ""
        title = self.text(head, "title", "tree")

        domains = [self.domain(item) for item in self.items(document, "domains", "", 1)]
        glossary = [self.term(item) for item in self.items(document, "glossary", "", 1)]
        sources = [self.source(item) for item in self.items(document, "sources", "", 1)]
        flags = [self.flag(item) for item in self.items(document, "flags", "", 1)]
        questions = [self.question(item) for item in self.items(document, "questions", "", 1)]
        descriptors = [self.descriptor(item) for item in self.items(document, "descriptors", "", 1)]
        counts_as_met, results = self.classification(document)

        if not domains:
            self.problem(document.line, "", "'domains' is missing or empty")
        if not questions:
            self.problem(document.line, "", "'questions' is missing or empty")
        for entries, kind in (
            (domains, "domain"),
            (glossary, "glossary term"),
            (sources, "source"),
            (flags, "flag"),
            (questions, "question"),
            (descriptors, "descriptor"),
            (results, "result"),
        ):
            self.unique(entries, kind)

        tree = m.Tree(
            id=tree_id,
            version=str(version),
            title=title,
            file=self.file,
            digest=self.digest,
            domains=tuple(domains),
            questions=tuple(questions),
            descriptors=tuple(descriptors),
            results=tuple(results),
            counts_as_met=counts_as_met,
            flags=tuple(flags),
            glossary=tuple(glossary),
            sources=tuple(sources),
        )
        self.cross_check(tree)
        return tree

    def domain(self, data: LineDict) -> m.Domain:
        domain_id = self.ident(data, "id", "domain")
        where = f"domain {domain_id}"
        return m.Domain(
            id=domain_id,
            title=self.text(data, "title", where),
            line=data.line,
            definitional=self.flag_value(data, "definitional", where, True),
            optional=self.flag_value(data, "optional", where, False),
            note=self.text(data, "note", where, required=False),
        )

    def term(self, data: LineDict) -> m.GlossaryTerm:
        term_id = self.ident(data, "id", "glossary term")
        where = f"glossary term {term_id}"
        return m.GlossaryTerm(
            id=term_id,
            term=self.text(data, "term", where),
            definition=self.text(data, "definition", where),
            line=data.line,
        )

    def source(self, data: LineDict) -> m.Source:
        source_id = self.ident(data, "id", "source")
        return m.Source(
            id=source_id, title=self.text(data, "title", f"source {source_id}"), line=data.line
        )

    def flag(self, data: LineDict) -> m.Flag:
        flag_id = self.ident(data, "id", "flag")
        where = f"flag {flag_id}"
        return m.Flag(
            id=flag_id,
            descriptor=self.ident(data, "descriptor", where),
            title=self.text(data, "title", where),
            line=data.line,
            explanation=self.text(data, "explanation", where, required=False),
        )

    def question(self, data: LineDict) -> m.Question:
        question_id = self.ident(data, "id", "question")
        where = f"question {question_id}"
        kind = data.get("type")
        if kind not in m.QUESTION_TYPES:
            self.problem(
                data.line,
                where,
                f"'type' must be one of {', '.join(m.QUESTION_TYPES)}, got {kind!r}",
            )
            kind = m.SHORT_TEXT
        options = tuple(
            self.option(item, where, kind) for item in self.items(data, "options", where, data.line)
        )
        if kind == m.YES_NO:
            options = self.yes_no_options(options, data.line, where)
        fields: dict[str, Any] = {}
        if kind in m.CHOICE_TYPES:
            self.check_options(options, data.line, where, kind)
        elif options:
            self.problem(data.line, where, f"a {kind} question cannot have options")
        if kind in m.NUMBER_TYPES:
            fields.update(self.bounds(data, where, kind))
            fields["unit"] = self.text(data, "unit", where, required=False)
            fields["at_most"] = self.at_most(data, where)
            fields["improbable"] = self.improbable(data, where)
        elif "at_most" in data or "improbable" in data:
            key = "at_most" if "at_most" in data else "improbable"
            self.problem(data.line_of(key), where, f"'{key}' only applies to numbers")
        if kind in m.TEXT_TYPES:
            fields["max_length"] = self.positive_int(
                data, "max_length", where, m.DEFAULT_MAX_LENGTH[kind]
            )
        if kind == m.MULTIPLE_CHOICE and "max_choices" in data:
            fields["max_choices"] = self.positive_int(data, "max_choices", where, None)
        return m.Question(
            id=question_id,
            domain=self.ident(data, "domain", where),
            type=kind,
            text=self.text(data, "text", where),
            line=data.line,
            help=self.text(data, "help", where, required=False),
            hint=self.text(data, "hint", where, required=False),
            terms=self.ids(data, "terms", where),
            note=self.text(data, "note", where, required=False),
            ready=self.ready(data, where),
            required=self.flag_value(data, "required", where, True),
            options=options,
            routes=self.routes(data, where),
            **fields,
        )

    def option(self, data: LineDict, where: str, kind: str) -> m.Option:
        if "value" not in data or data.get("value") in (None, ""):
            self.problem(data.line, where, "an option has no value")
            value = ""
        else:
            value = self.ident(data, "value", where)
        option_where = f"{where} option {value}"
        next_id = data.get("next")
        if next_id is not None and not isinstance(next_id, str):
            self.problem(data.line, option_where, "'next' must be a question id or 'end'")
            next_id = None
        if next_id is not None and kind == m.MULTIPLE_CHOICE:
            self.problem(
                data.line,
                option_where,
                "options of a multiple_choice question cannot have 'next'; "
                "use the question's next rules",
            )
        exclusive = self.flag_value(data, "exclusive", option_where, False)
        if exclusive and kind != m.MULTIPLE_CHOICE:
            self.problem(data.line, option_where, "'exclusive' only applies to multiple_choice")
        label = self.text(data, "label", option_where, required=kind != m.YES_NO)
        return m.Option(
            value=value,
            label=label,
            line=data.line,
            next_line=data.line_of("next"),
            hint=self.text(data, "hint", option_where, required=False),
            raises=self.ids(data, "raises", option_where),
            next=next_id,
            exclusive=exclusive,
        )

    def yes_no_options(
        self, options: tuple[m.Option, ...], line: int, where: str
    ) -> tuple[m.Option, ...]:
        given = {option.value: option for option in options}
        for value in given:
            if value not in ("yes", "no"):
                self.problem(
                    line,
                    where,
                    f"a yes_no question's options must be 'yes' and 'no', got {value!r}",
                )
        result = []
        for value, label in (("yes", "Yes"), ("no", "No")):
            option = given.get(value) or m.Option(value=value, label=label, line=line)
            if not option.label:
                option = m.Option(
                    value=option.value,
                    label=label,
                    line=option.line,
                    hint=option.hint,
                    raises=option.raises,
                    next=option.next,
                    next_line=option.next_line,
                )
            result.append(option)
        return tuple(result)

    def check_options(
        self, options: tuple[m.Option, ...], line: int, where: str, kind: str
    ) -> None:
        if len(options) < 2:
            self.problem(line, where, f"a {kind} question needs at least two options")
        seen: dict[str, int] = {}
        for option in options:
            if option.value and option.value in seen:
                self.problem(
                    option.line,
                    where,
                    f"duplicate option value '{option.value}' (first on line {seen[option.value]})",
                )
            seen.setdefault(option.value, option.line)

    def bounds(self, data: LineDict, where: str, kind: str) -> dict[str, float | None]:
        found: dict[str, float | None] = {}
        for key in ("min", "max") + (("step",) if kind == m.DECIMAL else ()):
            value = data.get(key)
            if value is None:
                self.problem(data.line, where, f"a {kind} question needs '{key}'")
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(data.line, where, f"'{key}' must be a number, got {value!r}")
                value = None
            elif kind == m.WHOLE_NUMBER and not float(value).is_integer():
                self.problem(data.line, where, f"'{key}' must be a whole number, got {value!r}")
                value = None
            found[key] = value
        low, high = found.get("min"), found.get("max")
        if low is not None and high is not None and low > high:
            self.problem(data.line, where, f"bad bounds: min {low} is more than max {high}")
        step = found.get("step")
        if step is not None and step <= 0:
            self.problem(data.line, where, f"bad bounds: step must be more than 0, got {step}")
        return found

    def at_most(self, data: LineDict, where: str) -> m.AtMost | None:
        value = data.get("at_most")
        if value is None:
            return None
        line = data.line_of("at_most")
        if not isinstance(value, LineDict):
            self.problem(line, where, "'at_most' needs 'question' and 'error'")
            return None
        error = self.text(value, "error", where)
        for placeholder in re.findall(r"\{([^{}]*)\}", error):
            if placeholder != "limit":
                self.problem(line, where, f"'at_most' error uses unknown {{{placeholder}}}")
        return m.AtMost(question=self.ident(value, "question", where), error=error, line=line)

    def improbable(self, data: LineDict, where: str) -> m.Improbable | None:
        value = data.get("improbable")
        if value is None:
            return None
        line = data.line_of("improbable")
        when = self.expression(value, "when", where) if isinstance(value, LineDict) else None
        if when is None:
            self.problem(line, where, "'improbable' needs 'when' and 'warning'")
            return None
        return m.Improbable(when=when, warning=self.text(value, "warning", where), line=line)

    def positive_int(self, data: LineDict, key: str, where: str, default: int | None) -> int | None:
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(data.line, where, f"'{key}' must be a whole number of 1 or more")
            return default
        return value

    def routes(self, data: LineDict, where: str) -> tuple[m.Route, ...]:
        value = data.get("next")
        if value is None:
            return ()
        if isinstance(value, str):
            return (m.Route(goto=value, line=data.line_of("next")),)
        if not isinstance(value, list):
            self.problem(data.line, where, "'next' must be a question id, 'end' or a list of rules")
            return ()
        routes = []
        for rule in value:
            if not isinstance(rule, LineDict) or not isinstance(rule.get("goto"), str):
                self.problem(
                    getattr(rule, "line", data.line), where, "every 'next' rule needs 'goto'"
                )
                continue
            routes.append(
                m.Route(
                    goto=rule["goto"],
                    line=rule.line_of("goto"),
                    when=self.expression(rule, "when", where),
                    when_line=rule.line_of("when"),
                )
            )
        return tuple(routes)

    def descriptor(self, data: LineDict) -> m.Descriptor:
        descriptor_id = self.ident(data, "id", "descriptor")
        where = f"descriptor {descriptor_id}"
        values = []
        raw_values = data.get("values", {})
        if not isinstance(raw_values, dict):
            self.problem(data.line, where, "'values' must map names to expressions")
            raw_values = {}
        for name, source in raw_values.items():
            if not isinstance(name, str) or not ID_PATTERN.match(name):
                self.problem(data.line, where, f"value name {name!r} must be snake_case")
                continue
            try:
                values.append((name, parse(source)))
            except ExpressionError as error:
                self.problem(data.line, where, f"value '{name}': {error}")
        rules = []
        for item in self.items(data, "status", where, data.line):
            status = item.get("status")
            if status not in m.STATUSES:
                self.problem(
                    item.line,
                    where,
                    f"'status' must be one of {', '.join(m.STATUSES)}, got {status!r}",
                )
            rules.append(
                m.StatusRule(
                    status=status or m.NOT_MET,
                    because=self.text(item, "because", where),
                    line=item.line_of("when"),
                    when=self.expression(item, "when", where),
                )
            )
        if not rules:
            self.problem(data.line, where, "has no status rule")
        elif rules[-1].when is not None:
            self.problem(
                rules[-1].line,
                where,
                "the last status rule must have no 'when', so every set of answers gets a status",
            )
        actions = [
            self.action(item, where) for item in self.items(data, "actions", where, data.line)
        ]
        self.unique(actions, "action", where)
        return m.Descriptor(
            id=descriptor_id,
            domain=self.ident(data, "domain", where),
            title=self.text(data, "title", where),
            statement=self.text(data, "statement", where),
            line=data.line,
            why=self.text(data, "why", where, required=False),
            evidence=self.texts(data, "evidence", where),
            terms=self.ids(data, "terms", where),
            values=tuple(values),
            rules=tuple(rules),
            actions=tuple(actions),
        )

    def action(self, data: LineDict, where: str) -> m.Action:
        action_id = self.ident(data, "id", where)
        action_where = f"{where} action {action_id}"
        source = data.get("source")
        chapter = section = ""
        if not isinstance(source, LineDict):
            self.problem(data.line, action_where, "'source' (chapter, section) is missing")
        else:
            chapter = self.ident(source, "chapter", action_where)
            section = self.text(source, "section", action_where)
        when = self.expression(data, "when", action_where)
        for_every_gap = self.text(data, "for_every_gap", action_where, required=False)
        if "when" not in data and not for_every_gap:
            self.problem(
                data.line,
                action_where,
                "an action needs a 'when' on the answers that call for it, or 'for_every_gap'"
                " saying why it fits every team with the gap",
            )
        elif "when" in data and for_every_gap:
            self.problem(
                data.line, action_where, "an action has 'when' or 'for_every_gap', not both"
            )
        return m.Action(
            id=action_id,
            text=self.text(data, "text", action_where),
            chapter=chapter,
            section=section,
            line=data.line,
            when=when,
            when_line=data.line_of("when"),
            done_when=self.text(data, "done_when", action_where),
            for_every_gap=for_every_gap,
            commissioners=self.true_or_false(data, "commissioners", action_where),
        )

    def true_or_false(self, data: LineDict, key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(data.line_of(key), where, f"'{key}' must be true or false")
            return False
        return value

    def classification(self, document: LineDict) -> tuple[tuple[str, ...], list[m.Result]]:
        data = document.get("classification")
        if not isinstance(data, LineDict):
            self.problem(document.line, "classification", "'classification' is missing")
            return (m.MET,), []
        counts_as_met = data.get("counts_as_met", [m.MET])
        if (
            not isinstance(counts_as_met, list)
            or not counts_as_met
            or not all(status in m.STATUSES for status in counts_as_met)
        ):
            self.problem(
                data.line,
                "classification",
                f"'counts_as_met' must list statuses from {', '.join(m.STATUSES)}",
            )
            counts_as_met = [m.MET]
        results = []
        for item in self.items(data, "results", "classification", data.line):
            result_id = self.ident(item, "id", "result")
            where = f"result {result_id}"
            results.append(
                m.Result(
                    id=result_id,
                    title=self.text(item, "title", where),
                    line=item.line,
                    summary=self.text(item, "summary", where, required=False),
                    when=self.expression(item, "when", where),
                )
            )
        if len(results) < 2:
            self.problem(data.line, "classification", "needs at least two results")
        elif results[-1].when is not None:
            self.problem(
                results[-1].line,
                f"result {results[-1].id}",
                "the last result must have no 'when', so every audit gets a result",
            )
        return tuple(counts_as_met), results

    # -- references between sections -------------------------------------------------------

    def cross_check(self, tree: m.Tree) -> None:
        questions = tree.questions_by_id
        index = tree.question_index
        value_names: dict[str, set[str]] = {
            descriptor.id: {name for name, _ in descriptor.values}
            for descriptor in tree.descriptors
        }

        def check_expression(
            expression: Expression | None,
            line: int,
            where: str,
            extra_names: set[str] = frozenset(),
            allow_status: bool = False,
        ) -> None:
            if expression is None:
                return
            for name in sorted(expression.names - extra_names):
                if name not in questions:
                    self.problem(line, where, f"unknown question '{name}' in {expression.source!r}")
            for name, text in compared_literals(expression):
                question = questions.get(name) if name not in extra_names else None
                if (
                    question is not None
                    and question.type in m.CHOICE_TYPES
                    and text not in question.option_values
                ):
                    self.problem(
                        line,
                        where,
                        f"'{text}' is not an option of question '{name}' in {expression.source!r}",
                    )
            for function, literals in expression.calls:
                if function == "flag" and (not literals or literals[0] not in tree.flags_by_id):
                    self.problem(
                        line, where, f"flag() needs a known flag id in {expression.source!r}"
                    )
                if function == "status":
                    if not allow_status:
                        self.problem(line, where, "status() is only allowed in classification")
                    elif not literals or literals[0] not in tree.descriptors_by_id:
                        self.problem(
                            line,
                            where,
                            f"status() needs a known descriptor id in {expression.source!r}",
                        )

        def check_terms(terms: tuple[str, ...], line: int, where: str) -> None:
            for term in terms:
                if term not in tree.glossary_by_id:
                    self.problem(line, where, f"unknown glossary term '{term}'")

        for flag in tree.flags:
            if flag.descriptor and flag.descriptor not in tree.descriptors_by_id:
                self.problem(
                    flag.line, f"flag {flag.id}", f"unknown descriptor '{flag.descriptor}'"
                )

        for question in tree.questions:
            where = f"question {question.id}"
            if question.domain and question.domain not in tree.domains_by_id:
                self.problem(question.line, where, f"unknown domain '{question.domain}'")
            check_terms(question.terms, question.line, where)
            targets = [
                (option.next, option.next_line) for option in question.options if option.next
            ]
            targets += [(route.goto, route.line) for route in question.routes]
            for target, line in targets:
                if target == m.END:
                    continue
                if target not in questions:
                    self.problem(line, where, f"'next' goes to unknown question '{target}'")
                elif index[target] <= index[question.id]:
                    self.problem(
                        line,
                        where,
                        f"'next' goes back to '{target}' (line "
                        f"{questions[target].line}), which makes a cycle",
                    )
            for option in question.options:
                for flag_id in option.raises:
                    if flag_id not in tree.flags_by_id:
                        self.problem(
                            option.line,
                            f"{where} option {option.value}",
                            f"raises unknown flag '{flag_id}'",
                        )
            if question.at_most:
                limit = questions.get(question.at_most.question)
                if limit is None:
                    self.problem(
                        question.at_most.line,
                        where,
                        f"'at_most' names unknown question '{question.at_most.question}'",
                    )
                elif limit.type not in m.NUMBER_TYPES or index[limit.id] >= index[question.id]:
                    self.problem(
                        question.at_most.line,
                        where,
                        f"'at_most' must name a number question asked earlier, not '{limit.id}'",
                    )
            if question.improbable:
                check_expression(question.improbable.when, question.improbable.line, where)
                for name in question.improbable.when.names:
                    if name in index and index[name] > index[question.id]:
                        self.problem(
                            question.improbable.line,
                            where,
                            f"'improbable' uses '{name}', which is asked later",
                        )
            for route in question.routes:
                check_expression(route.when, route.when_line, where)
                if route.when is not None:
                    for name in route.when.names:
                        if name in index and index[name] > index[question.id]:
                            self.problem(
                                route.when_line,
                                where,
                                f"routing uses '{name}', which is asked later",
                            )
            unconditional = [route for route in question.routes if route.when is None]
            if unconditional and unconditional[0] is not question.routes[-1]:
                self.problem(
                    unconditional[0].line, where, "a 'next' rule without 'when' must come last"
                )

        for descriptor in tree.descriptors:
            where = f"descriptor {descriptor.id}"
            if descriptor.domain and descriptor.domain not in tree.domains_by_id:
                self.problem(descriptor.line, where, f"unknown domain '{descriptor.domain}'")
            check_terms(descriptor.terms, descriptor.line, where)
            known_values: set[str] = set()
            for name, expression in descriptor.values:
                check_expression(expression, descriptor.line, where, known_values)
                known_values.add(name)
            names = value_names[descriptor.id]
            for rule in descriptor.rules:
                check_expression(rule.when, rule.line, where, names)
                for placeholder in re.findall(r"\{([^{}]*)\}", rule.because):
                    if placeholder not in names and placeholder not in questions:
                        self.problem(rule.line, where, f"'because' uses unknown {{{placeholder}}}")
            for action in descriptor.actions:
                action_where = f"{where} action {action.id}"
                check_expression(action.when, action.when_line, action_where, names | {m.GAP})
                for placeholder in re.findall(r"\{([^{}]*)\}", action.text + action.done_when):
                    if placeholder not in names and placeholder not in questions:
                        self.problem(
                            action.line, action_where, f"'text' uses unknown {{{placeholder}}}"
                        )
                if action.chapter and action.chapter not in tree.sources_by_id:
                    self.problem(
                        action.line, action_where, f"unknown source chapter '{action.chapter}'"
                    )

        classification_names = {"unmet", "flags", "flagged"}
        for result in tree.results:
            check_expression(
                result.when,
                result.line,
                f"result {result.id}",
                classification_names,
                allow_status=True,
            )
