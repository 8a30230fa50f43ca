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


MAX, MIN = np.maximum, np.minimum
# (formula, the same expression with numpy's plain operators: every intermediate fresh)
PLAIN = [
    ("a * b / 100 + c * b / 100 + a", lambda a, b, c: a * b / 100 + c * b / 100 + a),
    ("-(a * b) - -c", lambda a, b, c: -(a * b) - -c),
    ("max(a * 2, b, 3) - min(c, a / 2)", lambda a, b, c: MAX(MAX(a * 2, b), 3.0) - MIN(c, a / 2)),
    ("(a + b) * (a - b) ** 2", lambda a, b, c: (a + b) * (a - b) ** 2),
    ("a - a + 0 * c", lambda a, b, c: a - a + 0.0 * c),
    ("1 + 2 * 3", lambda a, b, c: 1.0 + 2.0 * 3.0),
]


@pytest.mark.parametrize(("text", "plain"), PLAIN)
def test_reusing_its_own_temporaries_changes_no_bit_and_no_input(text, plain):
    """A formula writes into arrays it made itself, never into the values it was given."""
    rng = np.random.default_rng(7)
    Y, n = 5, 33
    env = {
        "a": rng.standard_normal((Y, 1)),  # a per-year column
        "b": rng.standard_normal((1, n)),  # a per-run row
        "c": rng.standard_normal((Y, n)),
    }
    env["c"][0, :3] = [0.0, -0.0, np.nan]
    before = {k: v.copy() for k, v in env.items()}
    with np.errstate(invalid="ignore"):
        ref = np.broadcast_to(plain(**before), (Y, n))
        got = parse_formula(text)(env)
        out = np.full((Y, n), 99.0)
        into = parse_formula(text).into(env, out)
    for v in (got, into):
        v = np.broadcast_to(v, (Y, n))
        np.testing.assert_array_equal(v, ref)
        assert np.array_equal(np.signbit(v), np.signbit(ref))
    for k, v in before.items():
        np.testing.assert_array_equal(env[k], v, err_msg=k)
    if np.shape(got) == (Y, n):
        assert into is out  # the last operation was written straight into out
    else:
        assert (out == 99.0).all()  # a result of another shape leaves out alone


def test_into_leaves_out_alone_when_the_result_is_an_input():
    env = {"a": np.arange(6.0).reshape(2, 3)}
    out = np.zeros((2, 3))
    got = parse_formula("a").into(env, out)
    assert got is env["a"] and (out == 0).all()


@pytest.mark.parametrize(("text", "plain"), PLAIN)
def test_temporaries_from_a_reused_workspace_change_no_bit(text, plain):
    """With a workspace (the Monte Carlo engine's per-thread buffers), temporaries are its
    arrays, handed out dirty and reused by the next evaluation: the results stay exact."""
    from planlib.formula import WORKSPACE

    rng = np.random.default_rng(9)
    Y, n = 4, 29
    store: dict = {}

    def work(key, shape):
        if key not in store or store[key].shape != shape:
            store[key] = np.empty(shape)
        store[key][...] = 1e300  # dirty
        return store[key]

    f = parse_formula(text)
    for _ in range(3):
        env = {"a": rng.standard_normal((Y, 1)), "b": rng.standard_normal((1, n)),
               "c": rng.standard_normal((Y, n))}
        before = {k: v.copy() for k, v in env.items()}
        ref = np.broadcast_to(plain(**before), (Y, n))
        with np.errstate(invalid="ignore"):
            got = f.into({**env, WORKSPACE: work}, np.empty((Y, n)))
            kept = f({**env, WORKSPACE: work})
        for v in (got, kept):
            np.testing.assert_array_equal(np.broadcast_to(v, (Y, n)), ref)
        for k, v in before.items():
            np.testing.assert_array_equal(env[k], v)
