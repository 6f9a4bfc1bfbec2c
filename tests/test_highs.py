"""imdi_analysis.highs.linprog against scipy.optimize.linprog(method="highs") and by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog as scipy_linprog
from scipy.sparse import csr_array

from imdi_analysis import highs
from imdi_analysis.highs import INFEASIBLE, OPTIMAL, linprog


@pytest.fixture(params=["bindings", "scipy"])
def solver(request, monkeypatch):
    """Both paths: scipy's HiGHS bindings, and the fallback to scipy's linprog without them."""
    if request.param == "scipy":
        monkeypatch.setattr(highs, "highs_core", lambda: None)
    elif highs.highs_core() is None:
        pytest.skip("this scipy ships no HiGHS bindings")
    return linprog


def test_a_program_solved_by_hand(solver):
    """max x + 2y with x + y = 3, 0 <= x, 0 <= y <= 2: y = 2, x = 1 (the only optimum)."""
    result = solver(
        np.array([-1.0, -2.0]), A_eq=csr_array([[1.0, 1.0]]), b_eq=np.array([3.0]), bounds=[(0, None), (0, 2)]
    )
    assert result.status == OPTIMAL
    assert result.x == pytest.approx([1.0, 2.0])
    assert result.fun == pytest.approx(-5.0)


def test_inequalities_and_one_pair_of_bounds_for_every_variable(solver):
    """min x + y with x + 2y >= 4 (as -x - 2y <= -4), x, y >= 0: y = 2, x = 0."""
    result = solver(
        np.array([1.0, 1.0]), A_ub=np.array([[-1.0, -2.0]]), b_ub=np.array([-4.0]), bounds=(0, None)
    )
    assert result.status == OPTIMAL
    assert result.x == pytest.approx([0.0, 2.0])


def test_an_infeasible_program_has_status_2_and_no_solution(solver):
    """x + y = -1 with x, y >= 0 has no solution."""
    result = solver(np.zeros(2), A_eq=csr_array([[1.0, 1.0]]), b_eq=np.array([-1.0]), bounds=(0, None))
    assert result.status == INFEASIBLE
    assert result.x is None and result.fun is None


def test_free_variables_are_written_none(solver):
    """min x with x - y = 0, y >= -3 and x free: x = y = -3."""
    result = solver(
        np.array([1.0, 0.0]),
        A_eq=csr_array([[1.0, -1.0]]),
        b_eq=np.array([0.0]),
        bounds=[(None, None), (-3, None)],
    )
    assert result.status == OPTIMAL
    assert result.x == pytest.approx([-3.0, -3.0])


def test_a_wrong_number_of_bounds_is_refused():
    with pytest.raises(ValueError, match="3 pairs for 2 variables"):
        highs.bound_arrays([(0, 1)] * 3, 2)


def random_program(rng: np.random.Generator) -> dict:
    """A program shaped like the disclosure control's: lines (a total = the sum of its parts) over
    hidden counts, each at least 0 or 1, maximising a few of them; sometimes with an inequality."""
    n = int(rng.integers(3, 30))
    rows = []
    for _ in range(int(rng.integers(1, n))):
        members = rng.choice(n, size=int(rng.integers(2, min(n, 6) + 1)), replace=False)
        row = np.zeros(n)
        row[members[0]] = 1.0
        row[members[1:]] = -1.0
        rows.append(row)
    truth = rng.integers(0, 20, size=n).astype(float)
    matrix = np.array(rows)
    program = {
        "c": -(rng.random(n) < 0.3).astype(float),
        "A_eq": csr_array(matrix),
        "b_eq": matrix @ truth,
        "bounds": [
            (float(rng.integers(0, 2)) if t > 0 else 0.0, 1e6 if rng.random() < 0.5 else None) for t in truth
        ],
    }
    if rng.random() < 0.3:
        program["A_ub"] = csr_array(rng.integers(-1, 2, size=(2, n)).astype(float))
        program["b_ub"] = program["A_ub"] @ truth + 1.0
    return program


def test_the_same_solutions_as_scipy_linprog_on_random_programs():
    """HiGHS with scipy's model and options returns scipy's vertex exactly (degenerate programs
    have many optima: the disclosure pattern depends on which one comes back)."""
    if highs.highs_core() is None:
        pytest.skip("this scipy ships no HiGHS bindings")
    rng = np.random.default_rng(2022)
    for _ in range(200):
        program = random_program(rng)
        ours = linprog(**program)
        theirs = scipy_linprog(**program, method="highs")
        assert ours.status == theirs.status
        if theirs.status == OPTIMAL:
            assert np.array_equal(ours.x, theirs.x)
            assert ours.fun == theirs.fun


def test_an_unbounded_program_has_scipy_status(solver):
    """min -x with x >= 0 and nothing else: unbounded below (scipy's status, whatever HiGHS reports)."""
    program = {"c": np.array([-1.0, 0.0]), "A_eq": csr_array([[0.0, 1.0]]), "b_eq": np.array([1.0])}
    assert solver(**program, bounds=(0, None)).status == scipy_linprog(**program, method="highs").status


def test_bounds_as_an_array_of_lower_and_upper(solver):
    """The (n, 2) array form, ±∞ for no bound: max x + y with x + y <= 10, x <= 3, y <= 4 → 3, 4."""
    bounds = np.array([[0.0, 3.0], [-np.inf, 4.0]])
    result = solver(np.array([-1.0, -1.0]), A_ub=np.array([[1.0, 1.0]]), b_ub=np.array([10.0]), bounds=bounds)
    assert result.status == OPTIMAL
    assert result.x == pytest.approx([3.0, 4.0])
    with pytest.raises(ValueError, match="shape"):
        highs.bound_arrays(np.zeros((3, 2)), 2)
