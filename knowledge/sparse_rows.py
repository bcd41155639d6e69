"""A matrix most of whose rows are mostly zeros, in NumPy alone: rows that are well filled are kept as they are, the
others as their nonzero values and those values' columns, padded to one width.

The classifier's weights (80,000 n-grams x 201 columns) are two-thirds zeros: 64 MB dense in float32, 38 MB like
this, in every worker. A question's common n-grams mostly have well-filled rows, taken whole; the rest cost one
scatter-add. Matching takes about 0.02 ms more a question for the 26 MB. SciPy's CSR is slower for picking a few
rows, and importing it costs a worker more than this saves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class SparseRows:
    def __init__(self, matrix: np.ndarray, *, filled: float = 0.35) -> None:
        """filled: rows with at least this share of nonzeros are kept whole (0.35 takes the least memory here)."""
        matrix = np.asarray(matrix, dtype=np.float32)
        self.shape: tuple[int, int] = matrix.shape
        whole = np.count_nonzero(matrix, axis=1) >= filled * matrix.shape[1]
        # slot[row]: its index among the whole rows (>= 0), or -1 - its index among the sparse ones.
        self.slot = np.where(whole, np.cumsum(whole) - 1, -np.cumsum(~whole)).astype(np.int32)
        self.whole = np.ascontiguousarray(matrix[whole])
        sparse = matrix[~whole]
        width = int(np.count_nonzero(sparse, axis=1).max(initial=0))
        # Each row's nonzero columns first, in order, then zero ones as padding: their value 0 adds nothing.
        columns = np.argsort(sparse == 0, axis=1, kind="stable")[:, :width]
        self.columns = columns.astype(np.min_scalar_type(max(matrix.shape[1] - 1, 0)))
        self.values = np.ascontiguousarray(np.take_along_axis(sparse, columns, axis=1))

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.slot, self.whole, self.columns, self.values))

    def weighted_sum(self, rows: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """sum(weights[i] * row rows[i]) in float64: a question's tf-idf values times the rows of its n-grams."""
        slots = self.slot.take(np.asarray(rows, dtype=np.intp))
        factors = np.asarray(weights, dtype=np.float64)
        whole = slots >= 0
        if whole.all():
            everything: np.ndarray = factors @ self.whole.take(slots, axis=0)  # numpy's stubs say Any here
            return everything
        total = factors[whole] @ self.whole.take(slots[whole], axis=0)
        sparse = -1 - slots[~whole]
        products = self.values.take(sparse, axis=0) * factors[~whole, np.newaxis]
        summed: np.ndarray = total + np.bincount(self.columns.take(sparse, axis=0).ravel(), weights=products.ravel(),
                                                 minlength=self.shape[1])
        return summed

    def dense(self) -> np.ndarray:
        """The whole matrix, for batch products (evaluation, tests)."""
        matrix = np.zeros(self.shape, dtype=np.float32)
        whole = self.slot >= 0
        matrix[whole] = self.whole
        sparse = np.zeros((self.values.shape[0], self.shape[1]), dtype=np.float32)
        np.put_along_axis(sparse, self.columns.astype(np.intp), self.values, axis=1)
        matrix[~whole] = sparse
        return matrix
