"""The small expression language of the question tree.

Expressions are written in a safe subset of Python syntax. They are parsed with `ast` into a
tree of allowed nodes, which is turned once into nested Python closures; nothing is ever passed
to `eval` or `compile`. `null` is
forgiving: arithmetic with it gives `null`, ordering comparisons with it are false.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ARITY = {
    "len": 1,
    "any_of": 2,
    "all_of": 2,
    "subset": 2,
    "flag": 1,
    "status": 1,
    "min": 2,
    "max": 2,
}
FUNCTIONS = tuple(ARITY)
LITERAL_NAMES = {
    "true": True,
    "false": False,
    "null": None,
    "True": True,
    "False": False,
    "None": None,
}

_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Compare,
    ast.BinOp,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Call,
    ast.In,
    ast.NotIn,
    *_COMPARE,
    *_ARITHMETIC,
)


class ExpressionError(ValueError):
    """An expression that does not parse or uses something outside the language."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source, its tree and the names and calls it uses."""

    source: str
    tree: ast.Expression = field(repr=False, compare=False)
    names: frozenset[str]
    calls: tuple[tuple[str, tuple[Any, ...]], ...]
    run: Callable[[Environment], Any] = field(repr=False, compare=False, default=None)

    def evaluate(self, env: Environment) -> Any:
        return self.run(env)

    def holds(self, env: Environment) -> bool:
        return bool(self.evaluate(env))


@dataclass
class Environment:
    """What names and the `flag`/`status` calls resolve to during evaluation."""

    names: Mapping[str, Any]
    flags: Iterable[str] = ()
    statuses: Mapping[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> Any:
        return self.names.get(name)


def parse(source: Any) -> Expression:
    """Parse `source`, refusing anything outside the language."""
    if isinstance(source, bool):
        source = "true" if source else "false"
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression must be a non-empty string")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {source!r}: {error.msg}") from None
    names: set[str] = set()
    calls: list[tuple[str, tuple[Any, ...]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed in {source!r}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ExpressionError(
                    f"unknown function in {source!r}; use one of {', '.join(FUNCTIONS)}"
                )
            if node.keywords:
                raise ExpressionError(f"keyword arguments are not allowed in {source!r}")
            if len(node.args) != ARITY[node.func.id]:
                raise ExpressionError(
                    f"{node.func.id}() takes {ARITY[node.func.id]} argument"
                    f"{'s' if ARITY[node.func.id] != 1 else ''}, got {len(node.args)}"
                    f" in {source!r}"
                )
            literal_args = tuple(arg.value for arg in node.args if isinstance(arg, ast.Constant))
            calls.append((node.func.id, literal_args))
        elif isinstance(node, ast.Name) and node.id not in LITERAL_NAMES:
            names.add(node.id)
        elif isinstance(node, ast.Constant) and not isinstance(
            node.value, (str, int, float, bool, type(None))
        ):
            raise ExpressionError(f"unsupported literal {node.value!r} in {source!r}")
    names -= set(FUNCTIONS)
    return Expression(source.strip(), tree, frozenset(names), tuple(calls), _compile(tree.body))


def compared_literals(expression: Expression) -> list[tuple[str, str]]:
    """Return (name, text) for every text literal a name is compared with or looked up in.

    Covers `q == 'x'`, `q != 'x'`, `q in ['x', 'y']`, `'x' in q`, `'x' not in q` and
    `any_of(q, [...])` / `all_of(q, [...])`, so the loader can refuse a value that is not one
    of the question's options (a typo that would otherwise never match).
    """
    found: list[tuple[str, str]] = []

    def texts(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.List, ast.Tuple)):
            return [
                item.value
                for item in node.elts
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            ]
        return []

    for node in ast.walk(expression.tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for left, right in zip(operands, operands[1:], strict=False):
                for name_node, other in ((left, right), (right, left)):
                    if isinstance(name_node, ast.Name) and name_node.id not in LITERAL_NAMES:
                        found += [(name_node.id, text) for text in texts(other)]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("any_of", "all_of")
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Name)
        ):
            found += [(node.args[0].id, text) for text in texts(node.args[1])]
    return found


def numeric_thresholds(expression: Expression) -> dict[str, set[float]]:
    """Return, per name, the numbers it is directly compared with."""
    found: dict[str, set[float]] = {}
    for node in ast.walk(expression.tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, right in zip(operands, operands[1:], strict=False):
            for name_node, other in ((left, right), (right, left)):
                if (
                    isinstance(name_node, ast.Name)
                    and isinstance(other, ast.Constant)
                    and isinstance(other.value, (int, float))
                    and not isinstance(other.value, bool)
                ):
                    found.setdefault(name_node.id, set()).add(float(other.value))
    return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def _compile(node: ast.AST) -> Callable[[Environment], Any]:
    """Turn an allowed syntax tree into nested closures, once, so evaluating is cheap."""
    match node:
        case ast.Constant(value=value):
            return lambda env: value
        case ast.Name(id=name) if name in LITERAL_NAMES:
            literal = LITERAL_NAMES[name]
            return lambda env: literal
        case ast.Name(id=name):
            return lambda env: env.lookup(name)
        case ast.List(elts=items) | ast.Tuple(elts=items):
            parts = [_compile(item) for item in items]
            return lambda env: [part(env) for part in parts]
        case ast.BoolOp(op=ast.And(), values=values):
            parts = [_compile(value) for value in values]

            def all_of_them(env: Environment) -> Any:
                result: Any = True
                for part in parts:
                    result = part(env)
                    if not result:
                        return result
                return result

            return all_of_them
        case ast.BoolOp(op=ast.Or(), values=values):
            parts = [_compile(value) for value in values]

            def any_of_them(env: Environment) -> Any:
                result: Any = False
                for part in parts:
                    result = part(env)
                    if result:
                        return result
                return result

            return any_of_them
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            inner = _compile(operand)
            return lambda env: not inner(env)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            inner = _compile(operand)

            def negate(env: Environment) -> Any:
                value = inner(env)
                return None if value is None else -value

            return negate
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _compile(operand)
        case ast.BinOp(left=left, op=op, right=right):
            left_part, right_part, kind = _compile(left), _compile(right), type(op)
            return lambda env: _arithmetic(kind, left_part(env), right_part(env))
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            first = _compile(left)
            steps = [
                (type(op), _compile(comparator))
                for op, comparator in zip(ops, comparators, strict=True)
            ]

            def compare(env: Environment) -> bool:
                current = first(env)
                for kind, part in steps:
                    other = part(env)
                    if not _compare(kind, current, other):
                        return False
                    current = other
                return True

            return compare
        case ast.Call(func=ast.Name(id=function), args=args):
            parts = [_compile(arg) for arg in args]
            return lambda env: _call(function, [part(env) for part in parts], env)
    raise ExpressionError(f"cannot evaluate {ast.dump(node)}")  # pragma: no cover


def _arithmetic(op: type, left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if not all(
        isinstance(value, (int, float)) and not isinstance(value, bool) for value in (left, right)
    ):
        return None
    if op is ast.Div and right == 0:
        return None
    return _ARITHMETIC[op](left, right)


def _compare(op: type, left: Any, right: Any) -> bool:
    if op is ast.In:
        return left in _as_list(right) if left is not None else False
    if op is ast.NotIn:
        return left not in _as_list(right) if left is not None else True
    if op in (ast.Eq, ast.NotEq):
        return _COMPARE[op](left, right)
    if left is None or right is None:
        return False
    try:
        return _COMPARE[op](left, right)
    except TypeError:
        return False


def _call(function: str, args: list[Any], env: Environment) -> Any:
    def need(count: int) -> None:
        if len(args) != count:
            raise ExpressionError(f"{function}() takes {count} argument(s), got {len(args)}")

    if function == "len":
        need(1)
        return len(_as_list(args[0]))
    if function == "any_of":
        need(2)
        return any(item in _as_list(args[1]) for item in _as_list(args[0]))
    if function == "all_of":
        need(2)
        held = _as_list(args[0])
        return all(item in held for item in _as_list(args[1]))
    if function == "subset":
        need(2)
        container = _as_list(args[1])
        return all(item in container for item in _as_list(args[0]))
    if function == "flag":
        need(1)
        return args[0] in set(env.flags)
    if function == "status":
        need(1)
        return env.statuses.get(args[0])
    need(2)
    numbers = [arg for arg in args if isinstance(arg, (int, float))]
    if not numbers:
        return None
    return min(numbers) if function == "min" else max(numbers)
