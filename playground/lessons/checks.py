"""The task-check language: comparisons of metrics with literals, joined by and/or/not. Never executed as code.

    test_loss < 0.1 and hidden_neurons <= 2
    activation == "relu" or not gradcheck_passed
    "xSquared" in features

A check is parsed with `ast.parse(mode="eval")` (parsing runs nothing) and every node is checked against a
whitelist; it is then type-checked against a table of metrics ({name: Metric}), so a check that can never
be evaluated (unknown metric, a number compared with a string, an impossible choice) is caught when the
lesson is loaded, and so is one a counter can jump over (`epoch == 57`: training moves epoch and step by many between
two looks at a task). `evaluate` walks the same tree with a dict of metric values; `could_hold` says whether it can
ever be true while some metrics keep given values (the settings a lesson locks or hides).
"""

import ast
import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_CHECK_LENGTH = 300
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")  # `95%`: shares are written 0.95
KINDS = ("number", "bool", "string", "strings")  # strings: a list of strings, for `in`
LITERAL_NAMES = {"true": True, "false": False, "True": True, "False": False}
ORDERING = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
EQUALITY = {ast.Eq: operator.eq, ast.NotEq: operator.ne}
MEMBERSHIP = {ast.In: operator.contains, ast.NotIn: lambda items, item: item not in items}
SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
    ast.NotIn: "not in",
}  # fmt: skip


@dataclass(frozen=True)
class Metric:
    """One name a check may use: its kind, a one-line doc, and for strings the values it can take."""

    kind: str
    doc: str
    choices: tuple = ()
    counter: bool = False  # training raises it by many between two looks at a task (epoch, step): only `>=` is sure
    costly: bool = False  # worked out anew at each look (the gradient check), so looked at less often while training


class CheckError(ValueError):
    """A check that cannot be parsed or can never be evaluated; `column` is 1-based within the check."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Check:
    """A parsed, type-checked check: its source, the metric names it reads, and the tree `evaluate` walks."""

    source: str
    names: frozenset
    tree: ast.expr

    def evaluate(self, metrics: Mapping[str, Any]) -> bool:
        """True or False for a dict of metric values; a missing or None value makes its comparison False."""
        return bool(_value(self.tree, metrics))

    def could_hold(self, known: Mapping[str, Any]) -> bool:
        """Whether the check can be true while the metrics in `known` keep those values, whatever the others do."""
        return _maybe(self.tree, known) is not False


def parse_check(source: object, metrics: Mapping[str, Metric]) -> Check:
    """The Check for `source`, or CheckError saying what is wrong and where; `metrics` is {name: Metric}."""
    if not isinstance(source, str) or not source.strip():
        raise CheckError("expected an expression such as `test_loss < 0.1`")
    if len(source) > MAX_CHECK_LENGTH:
        raise CheckError(f"a check has at most {MAX_CHECK_LENGTH} characters, this one {len(source)}")
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        percent = PERCENT.search(text)
        if percent:
            share = f"{float(percent[1]) / 100:g}"
            raise CheckError(f"write {share} for {percent[0]}: shares run from 0 to 1", percent.start() + 1) from None
        if not error.offset:  # Python gives no column when the text ends too early
            raise CheckError(f"not a valid expression ({error.msg}: it ends too early)", len(text) + 1) from None
        raise CheckError(f"not a valid expression ({error.msg})", error.offset) from None
    names = set()
    kind = _kind(tree, metrics, names)
    if kind != "bool":
        raise CheckError(f"a check must be true or false, this one is a {kind}", tree.col_offset + 1)
    _check_counters(tree, metrics)
    return Check(source, frozenset(names), tree)


def _kind(node, metrics, names):
    """The kind of `node`, after checking that it is allowed and well typed; raises CheckError."""
    where = getattr(node, "col_offset", 0) + 1
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _expect(value, "bool", metrics, names, "and/or join checks that are true or false")
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _expect(node.operand, "bool", metrics, names, "`not` applies to something true or false")
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        if _kind(node.operand, metrics, names) == "number":
            return "number"
    if isinstance(node, ast.Constant):
        if type(node.value) is float and not math.isfinite(node.value):
            raise CheckError("the number is too large (not finite); checks compare with numbers such as 0.95", where)
        if isinstance(node.value, bool):
            return "bool"
        if type(node.value) in (int, float):
            return "number"
        if isinstance(node.value, str):
            return "string"
    if isinstance(node, ast.Name):
        if node.id in LITERAL_NAMES:
            return "bool"
        if node.id not in metrics:
            known = ", ".join(sorted(metrics))
            raise CheckError(f"unknown metric {node.id!r}; the metrics are: {known}", where)
        names.add(node.id)
        return metrics[node.id].kind
    if isinstance(node, ast.Compare):
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            _compare(left, op, right, metrics, names)
            left = right
        return "bool"
    raise CheckError(
        f'{_describe(node)} is not allowed: use metrics, numbers, "strings", comparisons, and/or/not', where
    )


def _expect(node, kind, metrics, names, why):
    found = _kind(node, metrics, names)
    if found != kind:
        raise CheckError(f"{why}, not a {found}", node.col_offset + 1)


def _compare(left, op, right, metrics, names):
    where = left.col_offset + 1
    kinds = _kind(left, metrics, names), _kind(right, metrics, names)
    symbol = SYMBOLS.get(type(op), type(op).__name__)
    if type(op) in ORDERING and kinds != ("number", "number"):
        raise CheckError(f"`{symbol}` compares two numbers, not a {kinds[0]} and a {kinds[1]}", where)
    if type(op) in EQUALITY and kinds[0] != kinds[1]:
        raise CheckError(f"`{symbol}` compares a {kinds[0]} with a {kinds[1]}: it would never be true", where)
    if type(op) in MEMBERSHIP and kinds != ("string", "strings"):
        raise CheckError(f"`{symbol}` takes a string on the left and a list metric on the right", where)
    if type(op) not in ORDERING | EQUALITY | MEMBERSHIP:
        raise CheckError(f"the operator `{symbol}` is not allowed", where)
    _check_choice(left, right, metrics)
    _check_choice(right, left, metrics)


def _check_choice(name, literal, metrics):
    """A string literal compared with a metric of known choices must be one of them."""
    if not (isinstance(name, ast.Name) and isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
        return
    choices = metrics[name.id].choices
    if choices and literal.value not in choices:
        raise CheckError(
            f"{name.id} is never {literal.value!r}; it is one of: {', '.join(choices)}", literal.col_offset + 1
        )


def _check_counters(node, metrics, negated=False):
    """Refuses a comparison that holds only at or below some value of a counter: the page looks at a task about
    twice a second while training moves the counter on by many, so it may never see the counter there."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check_counters(value, metrics, negated)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check_counters(node.operand, metrics, not negated)
    elif isinstance(node, ast.Compare):
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            for counter, other, counter_first in ((left, right, True), (right, left, False)):
                if isinstance(counter, ast.Name) and counter.id in metrics and metrics[counter.id].counter:
                    _check_counter(counter.id, _flipped(type(op), not counter_first, negated), other, left)
            left = right


def _flipped(op, swap, negate):
    """The comparison operator `op` read with its sides swapped and/or negated (`not a < b` is `a >= b`)."""
    swapped = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
    negated = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
    op = swapped.get(op, op) if swap else op
    return negated[op] if negate else op


def _check_counter(name, op, other, where):
    """`name OP other` (the counter on the left) must hold from some value of the counter on: `>`, `>=` or `!=`."""
    if op in (ast.Gt, ast.GtE, ast.NotEq):
        return
    value = ast.unparse(other) if isinstance(other, ast.Constant | ast.UnaryOp) else "N"
    jumps = f"{name} counts up by many between two looks at the task while the student trains (about two a second)"
    if op is ast.Eq:
        fix = f"so it may never be seen at exactly {value}: write {name} >= {value}"
    else:
        fix = (
            f"so `{name} {SYMBOLS[op]} {value}` can be jumped over: a check may only ask that {name} has reached a "
            f"number ({name} >= N); limit something the student sets instead (a learning rate, a width)"
        )
    raise CheckError(f"{jumps}, {fix}", where.col_offset + 1)


def _describe(node):
    return {ast.Call: "a function call", ast.Attribute: "an attribute", ast.BinOp: "arithmetic"}.get(
        type(node), f"`{type(node).__name__}`"
    )


def _maybe(node, known):
    """What a true-or-false node is when the metrics in `known` have their values: True, False, or None when it
    depends on the others (and/or/not in three values; a comparison with an unknown side depends)."""
    names = {name.id for name in ast.walk(node) if isinstance(name, ast.Name) and name.id not in LITERAL_NAMES}
    if names <= known.keys():
        return _value(node, known) is True
    if isinstance(node, ast.BoolOp):
        values = [_maybe(value, known) for value in node.values]
        deciding = isinstance(node.op, ast.Or)  # one True decides an `or`, one False an `and`
        return deciding if deciding in values else None if None in values else not deciding
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value = _maybe(node.operand, known)
        return None if value is None else not value
    return None


def _value(node, metrics):
    """The value of a checked tree; None stands for a metric that is missing or not available now."""
    if isinstance(node, ast.BoolOp):
        values = (_value(value, metrics) is True for value in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, metrics)
        return (operand is not True) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return LITERAL_NAMES[node.id] if node.id in LITERAL_NAMES else metrics.get(node.id)
    left = _value(node.left, metrics)
    for op, comparator in zip(node.ops, node.comparators, strict=True):
        right = _value(comparator, metrics)
        if left is None or right is None:
            return False
        compare = {**ORDERING, **EQUALITY}.get(type(op))
        holds = compare(left, right) if compare else MEMBERSHIP[type(op)](right, left)
        if not holds:
            return False
        left = right
    return True
