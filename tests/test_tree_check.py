"""Every checker error names the file, the line and the id; one broken tree per error."""

import pytest
from click.testing import CliRunner

from bot import create_app
from bot.tree.commands import tree_commands
from bot.tree.loader import load_tree
from bot.tree.problems import TreeError
from tests.tree_support import MINI

MINI_TEXT = MINI.read_text(encoding="utf-8")

# (name, text to replace, replacement, marker on the reported line, id named, message part)
BROKEN = [
    (
        "duplicate question id",
        "  - id: staff_hours\n",
        "  - id: staff_wte\n",
        "  - id: staff_wte\n    domain: care\n    type: decimal\n    min: 0\n",
        "question staff_wte",
        "duplicate question id",
    ),
    (
        "unknown question in next",
        "        goto: ages",
        "        goto: agez",
        "goto: agez",
        "question staff_count",
        "unknown question 'agez'",
    ),
    (
        "unknown name in a condition",
        'when: "staff_count == 0"',
        'when: "staf_count == 0"',
        "staf_count",
        "question staff_count",
        "unknown question 'staf_count'",
    ),
    (
        "unknown name in an action's text",
        "        text: Write a policy.",
        "        text: Write a policy for {staf_count} people.",
        "      - id: policy",
        "descriptor supervision action policy",
        "'text' uses unknown {staf_count}",
    ),
    (
        "action with neither a condition nor a reason it fits every gap",
        "        for_every_gap: Every team short of supervision needs its minimum written down.\n",
        "",
        "      - id: policy",
        "descriptor supervision action policy",
        "an action needs a 'when'",
    ),
    (
        "cycle",
        '      - value: "no"\n        next: end',
        '      - value: "no"\n        next: ages',
        "next: ages",
        "question extras",
        "makes a cycle",
    ),
    (
        "unreachable question",
        '      - when: "staff_count == 0"\n        goto: ages',
        "      - goto: staff_hours",
        "  - id: staff_wte",
        "question staff_wte",
        "no path reaches this question",
    ),
    (
        "descriptor without status rule",
        "    status:\n      - status: met\n        because: Always.\n",
        "",
        "  - id: extra_things",
        "descriptor extra_things",
        "has no status rule",
    ),
    (
        "last status rule has a condition",
        "      - status: met\n        because: Always.",
        "      - status: met\n        when: \"extras == 'yes'\"\n        because: Always.",
        "        when: \"extras == 'yes'\"",
        "descriptor extra_things",
        "last status rule",
    ),
    (
        "status that is not a status",
        "      - status: not_met\n        because: Only up to one.",
        "      - status: unmet\n        because: Only up to one.",
        "      - status: unmet",
        "descriptor ages",
        "'status' must be one of met, partly_met, not_met",
    ),
    (
        "last result has a condition",
        "    - id: not_yet_meeting\n",
        '    - id: not_yet_meeting\n      when: "unmet"\n',
        "    - id: not_yet_meeting",
        "result not_yet_meeting",
        "the last result must have no 'when'",
    ),
    (
        "unreachable result",
        'when: "unmet and subset(unmet, flagged)"',
        'when: "unmet and subset(unmet, flagged) and len(unmet) > 5"',
        "    - id: targeted",
        "result targeted",
        "no set of answers reaches this result",
    ),
    (
        "option without a value",
        "      - value: to_one\n        label: To one",
        "      - label: To one",
        "      - label: To one",
        "question ages",
        "an option has no value",
    ),
    (
        "min above max",
        "    min: 0\n    max: 50\n    text: How many staff?",
        "    min: 60\n    max: 50\n    text: How many staff?",
        "  - id: staff_count",
        "question staff_count",
        "bad bounds",
    ),
    (
        "decimal without step",
        "    step: 0.5\n",
        "",
        "  - id: staff_hours",
        "question staff_hours",
        "needs 'step'",
    ),
    (
        "duplicate key",
        "    text: Which ages?",
        "    text: Which ages?\n    text: Which ages again?",
        "    text: Which ages again?",
        "",
        "duplicate key 'text'",
    ),
    (
        "unknown flag",
        "raises: [young_only]",
        "raises: [young_onli]",
        "  - value: to_one",
        "question ages option to_one",
        "unknown flag 'young_onli'",
    ),
    (
        "unknown domain",
        "  - id: ages\n    domain: care",
        "  - id: ages\n    domain: cair",
        "  - id: ages\n    domain: cair",
        "question ages",
        "unknown domain 'cair'",
    ),
    (
        "expression that does not parse",
        "when: \"ages == 'to_two'\"",
        'when: "ages =="',
        'when: "ages =="',
        "descriptor ages",
        "cannot parse",
    ),
    (
        "expression outside the language",
        'when: "staff_count == 0"',
        "when: \"__import__('os').system('true')\"",
        "__import__",
        "question staff_count",
        "unknown function",
    ),
    (
        "unknown glossary term",
        "terms: [wte]",
        "terms: [fte]",
        "  - id: staff_wte",
        "question staff_wte",
        "unknown glossary term 'fte'",
    ),
    (
        "unknown source chapter",
        "source: {chapter: ch1",
        "source: {chapter: ch9",
        "      - id: policy",
        "descriptor supervision action policy",
        "unknown source chapter 'ch9'",
    ),
    (
        "function with the wrong number of arguments in an action condition",
        "        text: Write a policy.\n",
        '        when: "len(staff_count, 2) > 0"\n        text: Write a policy.\n',
        'when: "len(staff_count, 2) > 0"',
        "descriptor supervision action policy",
        "len() takes 1 argument, got 2",
    ),
    (
        "function with the wrong number of arguments in a status rule",
        "when: \"ages == 'to_two'\"",
        'when: "any_of(ages) "',
        'when: "any_of(ages) "',
        "descriptor ages",
        "any_of() takes 2 arguments, got 1",
    ),
    (
        "condition that fails when evaluated on a path",
        "        for_every_gap: Every team short of supervision needs its minimum written down.\n"
        "        text: Write a policy.\n",
        '        when: "-ages == 1"\n        text: Write a policy.\n',
        'when: "-ages == 1"',
        "descriptor supervision action policy",
        "fails with answers",
    ),
    (
        "value that is not an option of the question",
        "when: \"ages == 'to_two'\"",
        "when: \"ages == 'to_tow'\"",
        "when: \"ages == 'to_tow'\"",
        "descriptor ages",
        "'to_tow' is not an option of question 'ages'",
    ),
    (
        "at_most naming a question asked later",
        "    step: 0.1\n    text: Their WTE?",
        "    step: 0.1\n    at_most: {question: staff_hours, error: No.}\n    text: Their WTE?",
        "    at_most: {question: staff_hours",
        "question staff_wte",
        "'at_most' must name a number question asked earlier",
    ),
    (
        "improbable rule naming a question asked later",
        "    step: 0.1\n    text: Their WTE?",
        "    step: 0.1\n    improbable: {when: 'staff_wte > staff_hours', warning: Sure?}\n"
        "    text: Their WTE?",
        "    improbable: {when:",
        "question staff_wte",
        "'improbable' uses 'staff_hours', which is asked later",
    ),
    (
        "improbable rule without a condition",
        "    step: 0.1\n    text: Their WTE?",
        "    step: 0.1\n    improbable: {warning: Sure?}\n    text: Their WTE?",
        "    improbable: {warning:",
        "question staff_wte",
        "'improbable' needs 'when' and 'warning'",
    ),
    (
        "not valid YAML",
        "    text: How many staff?",
        "    text: [How many staff?",
        "    text: [How many staff?",
        "",
        "not valid YAML",
    ),
]


def break_tree(tmp_path, old, new):
    assert old in MINI_TEXT
    path = tmp_path / "broken.yaml"
    path.write_text(MINI_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(text, marker):
    index = text.index(marker)
    return text.count("\n", 0, index) + 1 + (1 if marker.startswith("\n") else 0)


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "where", "message"), BROKEN, ids=[case[0] for case in BROKEN]
)
def test_each_broken_tree_names_file_line_and_id(tmp_path, name, old, new, marker, where, message):
    path = break_tree(tmp_path, old, new)
    with pytest.raises(TreeError) as error:
        load_tree(path)
    text = path.read_text(encoding="utf-8")
    expected_line = line_of(text, marker)
    matching = [problem for problem in error.value.problems if message in problem.message]
    assert matching, str(error.value)
    problem = matching[0]
    assert problem.file == str(path)
    assert problem.where.startswith(where)
    if name == "not valid YAML":
        assert abs(problem.line - expected_line) <= 1
    else:
        assert problem.line == expected_line, str(error.value)
    assert f"{path}:{problem.line}: " in str(error.value)


def test_unquoted_yes_and_no_stay_strings(tmp_path):
    path = break_tree(tmp_path, '      - value: "no"', "      - value: no")
    tree = load_tree(path)
    assert tree.question("extras").option_values == ("yes", "no")


def test_check_command_passes_and_counts_paths():
    result = CliRunner().invoke(tree_commands, ["check", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "4 paths" in result.output


def test_check_command_lists_every_error_and_exits_1(tmp_path):
    text = MINI_TEXT.replace("goto: ages", "goto: agez").replace(
        "domain: care\n    type: single_choice", "domain: cair\n    type: single_choice"
    )
    path = tmp_path / "two-errors.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(tree_commands, ["check", str(path)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "unknown question 'agez'" in result.output
    assert "unknown domain 'cair'" in result.output


def test_app_refuses_to_start_on_a_broken_tree(tmp_path):
    path = break_tree(tmp_path, "        goto: ages", "        goto: agez")
    with pytest.raises(TreeError, match="agez"):
        create_app({"QUESTION_TREE": str(path), "TESTING": True})


def test_simulate_prints_the_engine_result_as_json(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"staff_count": 0, "ages": "to_one", "extras": "no"}')
    result = CliRunner().invoke(tree_commands, ["simulate", str(answers), "--tree", str(MINI)])
    assert result.exit_code == 0, result.output
    assert '"classification": "not_yet_meeting"' in result.output
    assert '"targeted_flags"' not in result.output
    assert '"young_only"' in result.output


def test_simulate_refuses_an_invalid_answer(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"ages": "to_three"}')
    result = CliRunner().invoke(tree_commands, ["simulate", str(answers), "--tree", str(MINI)])
    assert result.exit_code == 1
    assert "ages: Choose one of the options" in result.output


def test_a_tree_file_that_is_not_utf8_is_a_clean_error_with_its_line(tmp_path):
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes('tree:\n  id: x\n  title: "Caffi’r café"\n'.encode("cp1252"))
    result = CliRunner().invoke(tree_commands, ["check", str(latin1)])
    assert result.exit_code == 1
    assert f"{latin1}:3: column 16: byte 0x92 is not UTF-8 text" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    with pytest.raises(TreeError, match="not UTF-8"):
        create_app({"TESTING": True, "DB": str(tmp_path / "a.db"), "QUESTION_TREE": str(latin1)})
