"""Secondary suppression by Gaussian elimination, in the manner of GaussSuppression.

The published relations of a release (every line: total = sum of parts; every copy: ``a = b``)
are linear equations ``A x = 0`` over its count cells ``x``. A reader who sees some cells knows
the true values up to the vectors ``v`` of the null space of ``A`` that are 0 on every visible
cell: the hidden cells can move along those vectors and nothing visible changes. A hidden cell
``c`` is *determined* when every such ``v`` has ``v[c] = 0``.

:func:`secondary_cells` starts with every cell hidden (the whole null space) and goes through
the cells that may be published in the caller's order of preference (large values first, so that
the small cells are the ones that end up hidden). A candidate ``j`` is published when, after
adding ``v[j] = 0`` to the constraints, no protected cell (a primary suppression, a cell already
hidden here) is determined; otherwise ``j`` is hidden and protected in turn. The constraints are
kept as a basis of the null space restricted to the hidden cells (columns of a dense matrix,
one connected group of equations at a time): publishing ``j`` is one elimination step with
``j``'s row as pivot row, and a cell is determined exactly when its row of the basis is zero.

Hiding is decided once per cell, so a hidden cell stays undetermined: it was hidden because
publishing it would have determined a protected cell ``p``, so ``p``'s row is a multiple of its
row in the basis, and that stays so as the basis shrinks. Cells that can never be published
(missing figures, ``..``) stay hidden without protection. Bounds (a hidden count confined to
1 … threshold − 1) are not checked here: the caller's interval check does that.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np

ZERO_TOLERANCE = 1e-9  # an entry of the null-space basis below this is 0

# A veto on publishing a cell: (cell, cells published so far, cells not yet decided) -> True
# when showing the cell would give something away that the null space does not see.
Veto = Callable[[Hashable, set, set], bool]


def secondary_cells(
    equations: Sequence[dict[Hashable, float]],
    protected: Sequence[Hashable],
    candidates: Sequence[Hashable],
    veto: Veto | None = None,
    cache: dict | None = None,
) -> list[Hashable]:
    """The ``candidates`` to hide so that no ``protected`` cell is determined by the rest.

    Parameters
    ----------
    equations : linear relations ``sum(coefficient * cell) = 0`` between cells, one dict each;
        cells that are neither protected nor candidates are unknowns that are never published
    protected : hidden cells that must stay undetermined (primary suppressions)
    candidates : cells that may be published, most wanted first
    veto : asked about a candidate that the elimination would publish; when it says True the
        candidate is hidden (and protected) instead. It sees the cells of the candidate's
        connected group published so far and those not yet decided. It must depend on nothing
        but its arguments and the data, when a ``cache`` is given.
    cache : kept between calls with the same ``equations`` and ``veto``: the connected groups,
        and each group's result for its protected cells and candidates (a group whose protected
        cells did not change is not solved again)

    Returns
    -------
    list
        The candidates to hide, in the order of ``candidates``.
    """
    cache = {} if cache is None else cache
    if "groups" not in cache:
        cache["groups"] = equation_groups(equations)
    order = {cell: i for i, cell in enumerate(candidates)}
    is_protected = set(protected)
    hidden: list[Hashable] = []
    for group, group_equations in cache["groups"]:
        group_protected = tuple(c for c in group if c in is_protected)
        group_candidates = tuple(sorted((c for c in group if c in order), key=order.__getitem__))
        if not group_protected or not group_candidates:
            continue
        key = (group[0], group_protected, group_candidates)
        if key not in cache:
            cache[key] = eliminate(
                group, group_equations, list(group_protected), list(group_candidates), veto
            )
        hidden += cache[key]
    return sorted(hidden, key=order.__getitem__)


def equation_groups(
    equations: Sequence[dict[Hashable, float]],
) -> list[tuple[list[Hashable], list[dict[Hashable, float]]]]:
    """The connected groups of cells of ``equations``, each with its equations."""
    groups = connected_cells(equations)
    where = {cell: i for i, group in enumerate(groups) for cell in group}
    grouped: list[list[dict[Hashable, float]]] = [[] for _ in groups]
    for terms in equations:
        grouped[where[next(iter(terms))]].append(terms)
    return list(zip(groups, grouped, strict=True))


def connected_cells(equations: Sequence[dict[Hashable, float]]) -> list[list[Hashable]]:
    """The cells of ``equations`` in groups that share no equation (union-find), each sorted by first use."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for terms in equations:
        cells = list(terms)
        for other in cells[1:]:
            a, b = find(cells[0]), find(other)
            if a != b:
                parent[b] = a
    groups: dict[Hashable, list[Hashable]] = {}
    for cell in parent:
        groups.setdefault(find(cell), []).append(cell)
    return list(groups.values())


def eliminate(
    cells: list[Hashable],
    equations: list[dict[Hashable, float]],
    protected: list[Hashable],
    candidates: list[Hashable],
    veto: Veto | None = None,
) -> list[Hashable]:
    """:func:`secondary_cells` for one connected group of equations."""
    row = {c: i for i, c in enumerate(cells)}
    matrix = np.zeros((len(equations), len(cells)))
    for i, terms in enumerate(equations):
        for cell, coefficient in terms.items():
            matrix[i, row[cell]] += coefficient
    basis = null_space_basis(matrix)
    width = basis.shape[1]  # columns in use: a published cell's pivot column is swapped to the end
    guarded = np.zeros(len(cells), dtype=bool)
    guarded[[row[c] for c in protected]] = True
    hidden: list[Hashable] = []
    published: set[Hashable] = set()
    pending = set(candidates)
    for cell in candidates:
        pending.discard(cell)
        j = row[cell]
        pivot_row = basis[j, :width]
        nonzero = np.flatnonzero(np.abs(pivot_row) > ZERO_TOLERANCE)
        if not nonzero.size:
            published.add(cell)
            continue  # already determined by what is published: showing it adds nothing
        q = int(nonzero[np.argmax(np.abs(pivot_row[nonzero]))])
        moved = np.flatnonzero(np.abs(basis[:, q]) > ZERO_TOLERANCE)  # rows the step changes
        factor = basis[moved, q] / pivot_row[q]
        if pins_a_guarded_cell(
            basis[:, :width], moved[guarded[moved]], factor[guarded[moved]], pivot_row, q
        ) or (veto is not None and veto(cell, published, pending)):
            hidden.append(cell)
            guarded[j] = True
            continue
        published.add(cell)
        block = basis[np.ix_(moved, nonzero)] - np.outer(factor, pivot_row[nonzero])
        block[np.abs(block) <= ZERO_TOLERANCE] = 0.0
        basis[np.ix_(moved, nonzero)] = block
        width -= 1
        basis[:, q] = basis[:, width]
        basis[:, width] = 0.0
    return hidden


def pins_a_guarded_cell(
    basis: np.ndarray, rows: np.ndarray, factor: np.ndarray, pivot_row: np.ndarray, q: int
) -> bool:
    """Whether eliminating with ``pivot_row`` (pivot column ``q``) zeroes one of ``rows``.

    ``factor`` is each row's multiple of the pivot row. Rows whose entry in column ``q`` is 0 do
    not change, so only the rows given need a look.
    """
    if not rows.size:
        return False
    after = basis[rows] - np.outer(factor, pivot_row)
    after[:, q] = 0.0
    return bool((np.abs(after) <= ZERO_TOLERANCE).all(axis=1).any())


def reduced_row_echelon(
    matrix: np.ndarray, tolerance: float = ZERO_TOLERANCE
) -> tuple[np.ndarray, list[int]]:
    """Gauss-Jordan elimination with partial pivoting: the reduced rows and the pivot column of
    each of the first ``len(pivots)`` rows (numpy row operations, no LAPACK call, so it stays
    fast when BLAS threads compete). Entries at or below ``tolerance`` count as 0."""
    work = matrix.astype("float64", copy=True)
    n_rows, n_cols = work.shape
    pivots: list[int] = []
    r = 0
    for col in range(n_cols):
        if r == n_rows:
            break
        best = r + int(np.argmax(np.abs(work[r:, col])))
        if abs(work[best, col]) <= tolerance:
            continue
        work[[r, best]] = work[[best, r]]
        work[r] /= work[r, col]
        others = np.flatnonzero(np.abs(work[:, col]) > tolerance)
        others = others[others != r]
        if others.size:
            work[others] -= np.outer(work[others, col], work[r])
            work[others, col] = 0.0
        pivots.append(col)
        r += 1
    return work, pivots


def null_space_basis(matrix: np.ndarray) -> np.ndarray:
    """A basis of ``{x : matrix @ x = 0}`` as columns, from the reduced row echelon form.

    One column per free variable ``f``: 1 at ``f`` and minus the reduced rows' entries in column
    ``f`` at the pivot variables. For the 0/±1 matrices of table lines the entries stay small
    whole numbers, so elimination on the basis keeps exact zeros.
    """
    work, pivots = reduced_row_echelon(matrix)
    n_cols = work.shape[1]
    free = np.setdiff1d(np.arange(n_cols), pivots)
    basis = np.zeros((n_cols, len(free)))
    basis[free, np.arange(len(free))] = 1.0
    if pivots:
        basis[pivots] = -work[: len(pivots)][:, free]
    basis[np.abs(basis) <= ZERO_TOLERANCE] = 0.0
    return basis
