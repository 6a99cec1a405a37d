"""The task-check language: what parses, what is refused and why, how it evaluates, and that nothing runs."""

import pytest

from playground.lessons import CheckError, parse_check
from playground.lessons.metrics import SANDBOX_METRICS

METRICS = {"test_loss": 0.05, "epoch": 60, "activation": "relu", "gradcheck_passed": True, "features": ["x", "y"]}


def holds(source, metrics=METRICS):
    return parse_check(source, SANDBOX_METRICS).evaluate(metrics)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("test_loss < 0.1", True),
        ("test_loss < 0.1 and epoch >= 50", True),
        ("test_loss > 0.1 or activation == 'relu'", True),
        ('activation != "relu"', False),
        ("gradcheck_passed", True),
        ("not gradcheck_passed", False),
        ("gradcheck_passed == true", True),
        ("0.01 < test_loss < 0.1", True),
        ('"xSquared" in features', False),
        ('"x" in features and "sinX" not in features', True),
        ("(epoch >= 100 or test_loss < 0.1) and not (activation == 'tanh')", True),
        ("test_loss > -1", True),
    ],
)
def test_valid_checks_evaluate_as_written(source, expected):
    assert holds(source) is expected


def test_a_metric_without_a_value_makes_its_comparison_false():
    assert holds("test_accuracy >= 0.9", {"test_accuracy": None}) is False
    assert holds("test_accuracy < 0.9", {}) is False


def test_the_check_records_the_metrics_it_reads():
    assert parse_check("test_loss < 0.1 and epoch > 5", SANDBOX_METRICS).names == {"test_loss", "epoch"}


@pytest.mark.parametrize(
    "source, message, column",
    [
        ("accuracy > 0.9", "unknown metric 'accuracy'", 1),
        ('test_loss < "low"', "`<` compares two numbers, not a number and a string", 1),
        ("activation == 3", "`==` compares a string with a number", 1),
        ('activation == "rleu"', "activation is never 'rleu'; it is one of: tanh, relu", 15),
        ('"wings" in features', "features is never 'wings'", 1),
        ("features in 'x'", "`in` takes a string on the left and a list metric on the right", 1),
        ("test_loss", "a check must be true or false, this one is a number", 1),
        ("epoch > 5 and test_loss", "and/or join checks that are true or false, not a number", 15),
        ("test_loss < 0.1 +", "not a valid expression (invalid syntax: it ends too early)", 18),
        ("epoch >> > 1", "not a valid expression (invalid syntax)", 10),
        ("test_accuracy >= 95%", "write 0.95 for 95%: shares run from 0 to 1", 18),
        ("test_accuracy > 12.5 %", "write 0.125 for 12.5 %", 17),
        ("test_loss < 1e400", "the number is too large (not finite)", 13),
        ("test_loss > -1e400", "the number is too large (not finite)", 14),
        ("test_loss + 1 < 2", "arithmetic is not allowed", 1),
        ("", "expected an expression", 1),
        ("x" * 400, "at most 300 characters", 1),
    ],
)
def test_invalid_checks_say_what_is_wrong_and_where(source, message, column):
    with pytest.raises(CheckError) as error:
        parse_check(source, SANDBOX_METRICS)
    assert message in str(error.value)
    assert error.value.column == column


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('touch /tmp/pwned')",
        "open('/etc/passwd').read() == ''",
        "test_loss.__class__ == 1",
        "[c for c in ().__class__.__bases__[0].__subclasses__()]",
        "(lambda: 1)() == 1",
        "test_loss if epoch else epoch",
        "epoch[0] == 1",
        "{'a': 1} == epoch",
        "epoch == (yield)",
        "f'{epoch}' == 'x'",
        "epoch := 5",
    ],
)
def test_nothing_but_comparisons_of_metrics_and_literals_is_accepted(source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CheckError):
        parse_check(source, SANDBOX_METRICS)
    assert not list(tmp_path.iterdir())


def test_a_deeply_nested_check_is_refused_not_crashing():
    with pytest.raises(CheckError):
        parse_check("(" * 150 + "epoch > 1" + ")" * 150, SANDBOX_METRICS)


@pytest.mark.parametrize(
    "source, known, expected",
    [
        ("depth == 2", {"depth": 1}, False),
        ("depth == 2 or test_loss < 0.1", {"depth": 1}, True),
        ("depth == 1 and test_loss < 0.1", {"depth": 1}, True),
        ("not (depth == 1) and test_loss < 0.1", {"depth": 1}, False),
        ("not (depth == 2 and test_loss < 0.1)", {"depth": 2}, True),
        ("(depth == 1 or test_loss < 0.1) and depth == 1", {"depth": 1}, True),
        ("test_loss < depth", {"depth": 1}, True),
        ('activation == "relu"', {"activation": None}, False),
        ("gradcheck_passed", {}, True),
    ],
)
def test_could_hold_asks_whether_a_check_can_be_true_while_some_metrics_keep_their_values(source, known, expected):
    assert parse_check(source, SANDBOX_METRICS).could_hold(known) is expected
