import numpy as np
import pytest

from planlib.formula import FormulaError, parse_formula


def test_arithmetic_and_min_max_vectorised():
    f = parse_formula("tax_ratio / 100 * output + max(0, a - 2) ** 2 - min(a, b, 1)")
    assert f.names == ("tax_ratio", "output", "a", "b")
    env = {"tax_ratio": np.array([2.0, 4.0]), "output": np.array([50.0, 50.0]), "a": 3.0, "b": 5.0}
    np.testing.assert_allclose(f(env), [1.0 + 1 - 1, 2.0 + 1 - 1])


def test_unary_and_parentheses():
    assert float(parse_formula("-(a + 1) * +2")({"a": 1.0})) == -4.0


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a.b",
        "a[0]",
        "'x'",
        "lambda: 1",
        "a if b else c",
        "a < b",
        "abs(a)",
        "min(a)",
        "max(a, key=b)",
        "a; b",
        "",
        "1 +",
    ],
)
def test_rejects_everything_else(text):
    with pytest.raises(FormulaError, match="allowed|non-empty"):
        parse_formula(text)
