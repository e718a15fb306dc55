import pytest

from bot.tree.expressions import Environment, ExpressionError, numeric_thresholds, parse


def value(source, **names):
    return parse(source).evaluate(Environment(names))


@pytest.mark.parametrize(
    ("source", "names", "expected"),
    [
        ("a == 'yes'", {"a": "yes"}, True),
        ("a != 'yes'", {"a": None}, True),
        ("a >= 4 * b", {"a": 10, "b": 2.5}, True),
        ("a >= 4 * b", {"a": 9.5, "b": 2.5}, False),
        ("a >= 4 * b", {"a": None, "b": 2.5}, False),
        ("a < 3", {"a": None}, False),
        ("a == 0 or b > 1", {"a": 0, "b": None}, True),
        ("not a", {"a": []}, True),
        ("'vig' in a", {"a": ["vig", "ppip"]}, True),
        ("'vig' not in a", {"a": None}, True),
        ("len(a) >= 2", {"a": ["x"]}, False),
        ("len(a)", {"a": None}, 0),
        ("any_of(a, ['x', 'y'])", {"a": ["z", "y"]}, True),
        ("all_of(a, ['x', 'y'])", {"a": ["x"]}, False),
        ("subset(a, ['x', 'y'])", {"a": ["x"]}, True),
        ("subset(a, ['x'])", {"a": ["x", "q"]}, False),
        ("min(a, b)", {"a": 3, "b": 2}, 2),
        ("a / b", {"a": 1, "b": 0}, None),
        ("-a + 1", {"a": 2}, -1),
        ("a == null and b == true", {"a": None, "b": True}, True),
        ("1 < a <= 3", {"a": 3}, True),
    ],
)
def test_expressions_evaluate_with_forgiving_null(source, names, expected):
    assert value(source, **names) == expected


def test_flag_and_status_calls_read_the_environment():
    env = Environment({}, flags=["young_only"], statuses={"ages": "not_met"})
    assert parse("flag('young_only')").evaluate(env) is True
    assert parse("status('ages') == 'not_met'").evaluate(env) is True


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "a.__class__",
        "open('x')",
        "[x for x in a]",
        "lambda: 1",
        "a[0]",
        "a if b else c",
        "len(a, key=b)",
        "a =",
        "",
        "{'a': 1}",
    ],
)
def test_anything_outside_the_language_is_refused(source):
    with pytest.raises(ExpressionError):
        parse(source)


def test_parse_reports_names_and_calls():
    expression = parse("flag('x') and a > 2 and len(b) == 0")
    assert expression.names == {"a", "b"}
    assert ("flag", ("x",)) in expression.calls


def test_numeric_thresholds_are_found_on_either_side():
    found = numeric_thresholds(parse("a == 0 or 3 < b and c >= 4 * d"))
    assert found == {"a": {0.0}, "b": {3.0}}
