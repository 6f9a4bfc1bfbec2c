"""Linear programs for the disclosure control and the audit: HiGHS, called as linprog calls it.

``scipy.optimize.linprog(method="highs")`` spends more time checking its arguments and its
options than HiGHS spends solving the small programs of the disclosure control (about 5 ms a
call where HiGHS itself needs 2 ms; the appendix solves about a thousand). :func:`linprog` takes
the same arguments and sets up the same model with the same options (presolve on, the dual
simplex, no output), through the HiGHS bindings that scipy ships (``scipy.optimize._highspy``),
with the options object built once per process. The programs and their solutions are the ones
``scipy.optimize.linprog`` gives (``tests/test_highs.py`` compares both on the programs of the
default appendix and on hand-made ones). Where those bindings are missing (another scipy), it
falls back to ``scipy.optimize.linprog`` itself.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# scipy's status codes, which the callers test: 0 solved, 1 limit reached, 2 infeasible,
# 3 unbounded, 4 another problem
OPTIMAL, LIMIT, INFEASIBLE, UNBOUNDED, OTHER = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Result:
    """What the callers read of ``scipy.optimize.OptimizeResult``: ``status``, ``x`` and ``fun``
    (the objective's value), the last two None unless solved."""

    status: int
    x: np.ndarray | None = None
    fun: float | None = None


Bounds = tuple[float | None, float | None] | Sequence[tuple[float | None, float | None]] | np.ndarray


def linprog(
    c: np.ndarray,
    A_ub: Any = None,  # noqa: N803 (scipy's names)
    b_ub: np.ndarray | None = None,
    A_eq: Any = None,  # noqa: N803
    b_eq: np.ndarray | None = None,
    bounds: Bounds = (0, None),
) -> Result:
    """Minimise ``c @ x`` subject to ``A_ub @ x <= b_ub``, ``A_eq @ x = b_eq`` and ``bounds``.

    As ``scipy.optimize.linprog(c, A_ub, b_ub, A_eq, b_eq, bounds, method="highs")``: ``bounds``
    is one ``(lower, upper)`` pair for every variable or one per variable, ``None`` meaning no
    bound; the matrices may be dense or sparse.
    """
    core = highs_core()
    if core is None:
        from scipy.optimize import linprog as scipy_linprog

        result = scipy_linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if result.status != OPTIMAL:
            return Result(int(result.status))
        return Result(OPTIMAL, result.x, float(result.fun))
    from scipy.sparse import csc_array, csr_array, issparse, vstack

    cost = np.asarray(c, dtype=float).ravel()
    n = cost.size
    lower, upper = bound_arrays(bounds, n)
    blocks, lhs, rhs = [], [], []
    if A_ub is not None:
        blocks.append(A_ub)
        b = np.asarray(b_ub, dtype=float).ravel()
        lhs.append(np.full(b.size, -np.inf))
        rhs.append(b)
    if A_eq is not None:
        blocks.append(A_eq)
        b = np.asarray(b_eq, dtype=float).ravel()
        lhs.append(b)
        rhs.append(b)
    if blocks:
        stacked = vstack([block if issparse(block) else csr_array(np.atleast_2d(block)) for block in blocks])
        matrix = csc_array(stacked)
        row_lower, row_upper = np.concatenate(lhs), np.concatenate(rhs)
    else:
        matrix = csc_array((0, n))
        row_lower = row_upper = np.zeros(0)

    lp = core.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = matrix.shape[0]
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = matrix.shape[0]
    lp.a_matrix_.format_ = core.MatrixFormat.kColwise
    lp.col_cost_ = cost
    lp.col_lower_ = finite(lower, core.kHighsInf)
    lp.col_upper_ = finite(upper, core.kHighsInf)
    lp.row_lower_ = finite(row_lower, core.kHighsInf)
    lp.row_upper_ = finite(row_upper, core.kHighsInf)
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    highs = core._Highs()
    if highs.passOptions(highs_options()) == core.HighsStatus.kError:
        return Result(OTHER)
    if highs.passModel(lp) == core.HighsStatus.kError:
        return Result(INFEASIBLE)  # as scipy: a model that does not load is reported as 2
    if highs.run() == core.HighsStatus.kError:
        return Result(OTHER)
    status = scipy_status(core, highs.getModelStatus())
    if status != OPTIMAL:
        return Result(status)
    solution = np.array(highs.getSolution().col_value, dtype=float)
    return Result(OPTIMAL, solution, float(highs.getInfo().objective_function_value))


def bound_arrays(bounds: Bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound of each of ``n`` variables; ``None`` is ∓∞ (as scipy reads them).

    ``bounds`` may also be an ``(n, 2)`` array of lower and upper bounds, ±∞ for none.
    """
    if isinstance(bounds, np.ndarray):
        if bounds.shape != (n, 2):
            raise ValueError(f"bounds: an array of shape {bounds.shape} for {n} variables")
        return bounds[:, 0].astype(float), bounds[:, 1].astype(float)
    pairs = [bounds] * n if len(bounds) == 2 and not isinstance(bounds[0], (tuple, list)) else list(bounds)
    if len(pairs) != n:
        raise ValueError(f"bounds: {len(pairs)} pairs for {n} variables")
    lower = np.array([-np.inf if lo is None else float(lo) for lo, _ in pairs])
    upper = np.array([np.inf if hi is None else float(hi) for _, hi in pairs])
    return lower, upper


def finite(values: np.ndarray, infinity: float) -> np.ndarray:
    """``values`` with ±∞ as HiGHS's infinity (HiGHS does not take ``inf``)."""
    out = np.array(values, dtype=float)
    infinite = np.isinf(out)
    out[infinite] = np.sign(out[infinite]) * infinity
    return out


def scipy_status(core: Any, model_status: Any) -> int:
    """scipy's status code for a HiGHS model status (``scipy.optimize._linprog_highs``)."""
    status = core.HighsModelStatus
    if model_status == status.kOptimal:
        return OPTIMAL
    if model_status in (status.kTimeLimit, status.kIterationLimit):
        return LIMIT
    if model_status in (status.kInfeasible, status.kModelError):
        return INFEASIBLE
    if model_status == status.kUnbounded:
        return UNBOUNDED
    return OTHER  # also "unbounded or infeasible", as scipy


@functools.cache
def highs_core() -> Any:
    """scipy's HiGHS bindings, or None when this scipy has none (then scipy's linprog is used)."""
    try:
        from scipy.optimize._highspy import _core  # type: ignore[attr-defined]
    except ImportError:
        return None
    needed = ("_Highs", "HighsLp", "HighsOptions", "MatrixFormat", "HighsModelStatus", "HighsStatus")
    return _core if all(hasattr(_core, name) for name in needed) else None


@functools.cache
def highs_options() -> Any:
    """The options ``scipy.optimize.linprog(method="highs")`` passes by default, built once."""
    core = highs_core()
    options = core.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = core.HighsDebugLevel.kHighsDebugLevelNone
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = int(core.simplex_constants.SimplexStrategy.kSimplexStrategyDual)
    return options
