"""A restricted arithmetic language for linked indicators — never ``eval``.

A formula such as ``"tax_ratio / 100 * industrial_output"`` is parsed with
:mod:`ast` and only these nodes are accepted: names, numbers, ``+ - * / **``,
unary minus, parentheses and calls to ``min``/``max``. Everything else (attribute
access, subscripts, strings, comparisons, lambdas …) is rejected with a message
saying what is allowed. The parsed tree is compiled into a closure over numpy
arrays, so a formula evaluates for all runs at once.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Mapping

import numpy as np

from .errors import PlanlibError

__all__ = ["Formula", "FormulaError", "parse_formula"]

ALLOWED = "names, numbers, + - * / **, parentheses, min(...), max(...), prev(name)"
MAX_LENGTH = 500


class FormulaError(PlanlibError, ValueError):
    """A formula that uses something outside the restricted language."""


class Formula:
    """A parsed formula.

    Attributes
    ----------
    text : str
        The formula as written.
    names : tuple of str
        Names it refers to (indicators or parameters), in order of first use.
    lags : tuple of str
        Names used as ``prev(name)``: last year's value, looked up in the
        environment as ``"prev:" + name``. A formula may use ``prev`` of the
        indicator it defines (a recurrence such as the 低保 standard).
    """

    def __init__(
        self, text: str, fn: Callable[[Mapping[str, np.ndarray]], np.ndarray], names, lags=()
    ):
        self.text = text
        self._fn = fn
        self.names = tuple(names)
        self.lags = tuple(lags)

    def __call__(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Evaluate with ``values`` mapping every name to a number or array."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(self._fn(values), dtype=float)

    def into(self, values: Mapping[str, np.ndarray], out: np.ndarray) -> np.ndarray:
        """Evaluate as a call does, writing the last operation into ``out`` when it fits.

        Returns ``out`` when the result has its shape, else the value (``out`` untouched).
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._fn(values, out)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


_BINOPS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_FUNCS = {"min": np.minimum, "max": np.maximum}


def parse_formula(text: str) -> Formula:
    """Parse ``text`` into a :class:`Formula`.

    Parameters
    ----------
    text : str
        E.g. ``"a + b"``, ``"max(0, output - 2 * tax)"``.

    Raises
    ------
    FormulaError
        On a syntax error or any construct outside the language.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(f"formula must be a non-empty string; allowed: {ALLOWED}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            f"formula {text!r} is not valid arithmetic ({exc.msg}); allowed: {ALLOWED}"
        ) from None
    names: list[str] = []
    lags: list[str] = []
    fn, _ = _compile(tree.body, text, names, lags)
    return Formula(text, fn, names, lags)


def _fits(a: np.ndarray, b) -> bool:
    """Whether ``a op b`` has the shape and type of ``a``, so it can be written into ``a``."""
    if not isinstance(b, np.ndarray):
        return isinstance(b, (int, float)) and not isinstance(b, bool)
    sa, sb = a.shape, b.shape
    if sa == sb:
        return b.dtype == a.dtype
    if len(sb) > len(sa) or b.dtype != a.dtype:
        return False
    return all(y == 1 or y == x for x, y in zip(sa[len(sa) - len(sb) :], sb, strict=True))


def _number(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
        type(v) is np.ndarray and v.dtype == np.float64
    )


def _into(out, *args) -> bool:
    """Whether an operation on ``args`` can be written into ``out`` with the same result."""
    return (
        out is not None
        and all(_number(a) for a in args)
        and np.broadcast_shapes(*(np.shape(a) for a in args)) == out.shape
    )


#: key of an ``env`` entry (never a name: not an identifier) holding ``work(key, shape)``,
#: which returns a scratch float array for a temporary, the same memory for the same key
#: each time (the Monte Carlo engine passes its per-thread buffers)
WORKSPACE = "·work"
_keys = itertools.count()  # a key per operation that may need a temporary


def _apply(op, a, b, a_own: bool, b_own: bool, out=None, spare=None):
    """``op(a, b)``, written into an operand the formula made itself when the result fits.

    The same ufunc on the same values gives the same bits; only a temporary array is saved
    (for a million runs each is megabytes of fresh memory). ``out``, when given and of the
    result's shape, receives it instead; else a new array, or ``spare(shape)`` when given.
    """
    if _into(out, a, b):
        return op(a, b, out=out)
    if a_own and type(a) is np.ndarray and a.dtype == np.float64 and _fits(a, b):
        return op(a, b, out=a)
    if b_own and type(b) is np.ndarray and b.dtype == np.float64 and _fits(b, a):
        return op(a, b, out=b)
    if spare is not None and _number(a) and _number(b):
        shape = np.broadcast_shapes(np.shape(a), np.shape(b))
        if shape:
            return op(a, b, out=spare(shape))
    return op(a, b)


def _spare(env: Mapping, key):
    """Return the maker of scratch arrays for temporary ``key`` from ``env`` (None: none).

    Each key is its own memory: one key per result that may be alive at the same time.
    """
    work = env.get(WORKSPACE) if isinstance(env, dict) else None
    return None if work is None else (lambda shape: work(f"fx{key}", shape))


def _compile(node, text: str, names: list[str], lags: list[str]):
    """Compile ``node`` into ``(fn, own)``.

    ``fn(env, out=None)`` gives the node's value: an operation writes it into ``out`` when
    it fits, and passes ``out`` on to its first operand, so a chain of operations fills
    ``out`` from the start. ``own`` says that value is never an array from ``env`` (an
    array this formula made, or a number), so it is free to overwrite.
    """
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = float(node.value)
        return (lambda env, out=None: value), False
    if isinstance(node, ast.Name):
        name = node.id
        if name in _FUNCS or name == "prev":
            raise FormulaError(f"formula {text!r}: {name} must be called, e.g. {name}(a, b)")
        if name not in names:
            names.append(name)
        return (lambda env, out=None: env[name]), False
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op = _BINOPS[type(node.op)]
        (left, lown), (right, rown) = (
            _compile(node.left, text, names, lags),
            _compile(node.right, text, names, lags),
        )
        key = next(_keys)

        def binop(env, out=None):
            a = left(env, out)  # the left operand may already fill ``out``
            return _apply(op, a, right(env), lown or a is out, rown, out, _spare(env, key))

        return binop, True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner, own = _compile(node.operand, text, names, lags)
        if isinstance(node.op, ast.USub):

            def negative(env, out=None):
                v = inner(env, out)
                if _into(out, v):
                    return np.negative(v, out=out)
                if own and type(v) is np.ndarray and v.dtype == np.float64:
                    return np.negative(v, out=v)
                return np.negative(v)

            return negative, True
        return inner, own
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "prev"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and not node.keywords
    ):
        lag = node.args[0].id
        if lag not in lags:
            lags.append(lag)
        key = "prev:" + lag
        return (lambda env, out=None: env[key]), False
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCS
        and not node.keywords
        and len(node.args) >= 2
    ):
        func = _FUNCS[node.func.id]
        args = [_compile(a, text, names, lags) for a in node.args]

        key = next(_keys)

        def call(env, out=None):
            first, own = args[0]
            value = first(env, out)  # the first argument may already fill ``out``
            own = own or value is out
            for i, (a, a_own) in enumerate(args[1:]):
                value = _apply(func, value, a(env), own, a_own, out, _spare(env, (key, i)))
                own = True
            return value

        return call, True
    what = type(node).__name__
    if isinstance(node, ast.Call):
        what = "a call other than min(a, b, ...), max(a, b, ...) or prev(name)"
    elif isinstance(node, ast.Constant):
        what = f"the constant {node.value!r}"
    raise FormulaError(f"formula {text!r} uses {what}; allowed: {ALLOWED}")
