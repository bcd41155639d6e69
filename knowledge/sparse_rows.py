"""A matrix most of whose rows are mostly zeros, in NumPy alone: rows that are well filled are kept as they are, the
others as their nonzero values and those values' columns, one after another (compressed rows).

The classifier's weights (80,000 n-grams x 201 columns for the 64 guides; a million x 3,000 for a thousand) are
mostly zeros: only their nonzeros are kept. A question's common n-grams mostly have well-filled rows, taken whole;
the rest cost one scatter-add. SciPy's CSR is slower for picking a few rows, and importing it costs a worker more
than this saves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class SparseRows:
    def __init__(self, matrix: np.ndarray, *, filled: float = 0.35) -> None:
        """filled: rows with at least this share of nonzeros are kept whole (0.35 takes the least memory here)."""
        matrix = np.asarray(matrix, dtype=np.float32)
        rows, columns = np.nonzero(matrix)
        self._build(matrix.shape, rows, columns, matrix[rows, columns], filled)

    @classmethod
    def from_triples(cls, shape: tuple[int, int], rows: np.ndarray, columns: np.ndarray, values: np.ndarray, *,
                     filled: float = 0.35) -> SparseRows:
        """From the nonzeros alone (row, column, value), for a matrix too big to hold dense."""
        made = cls.__new__(cls)
        keep = values != 0
        made._build(shape, rows[keep], columns[keep], values[keep].astype(np.float32), filled)
        return made

    def _build(self, shape: tuple[int, int], rows: np.ndarray, columns: np.ndarray, values: np.ndarray,
               filled: float) -> None:
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        order = np.lexsort((columns, rows))
        rows, columns, values = rows[order], columns[order], values[order]
        per_row = np.bincount(rows, minlength=self.shape[0])
        whole = per_row >= filled * self.shape[1]
        # slot[row]: its index among the whole rows (>= 0), or -1 - its index among the sparse ones.
        self.slot = np.where(whole, np.cumsum(whole) - 1, -np.cumsum(~whole, dtype=np.int64)).astype(np.int32)
        in_whole = whole[rows]
        self.whole = np.zeros((int(whole.sum()), self.shape[1]), dtype=np.float32)
        self.whole[self.slot[rows[in_whole]], columns[in_whole]] = values[in_whole]
        # The sparse rows' nonzeros, row after row: row k's are starts[k]:starts[k + 1].
        self.starts = np.concatenate([[0], np.cumsum(per_row[~whole])]).astype(np.int64)
        self.columns = columns[~in_whole].astype(np.min_scalar_type(max(self.shape[1] - 1, 0)))
        self.values = np.ascontiguousarray(values[~in_whole], dtype=np.float32)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.slot, self.whole, self.starts, self.columns, self.values))

    def weighted_sum(self, rows: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """sum(weights[i] * row rows[i]) in float64: a question's tf-idf values times the rows of its n-grams."""
        slots = self.slot.take(np.asarray(rows, dtype=np.intp))
        factors = np.asarray(weights, dtype=np.float64)
        whole = slots >= 0
        if whole.all():
            return factors @ self.whole.take(slots, axis=0)
        total = factors[whole] @ self.whole.take(slots[whole], axis=0)
        sparse = -1 - slots[~whole]
        begin, lengths = self.starts[sparse], self.starts[sparse + 1] - self.starts[sparse]
        # Every nonzero of the picked rows: position = its row's start + its place within the row.
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        at = np.repeat(begin, lengths) + within
        products = self.values.take(at) * np.repeat(factors[~whole], lengths)
        return total + np.bincount(self.columns.take(at), weights=products, minlength=self.shape[1])

    def dense(self) -> np.ndarray:
        """The whole matrix, for batch products (evaluation, tests)."""
        matrix = np.zeros(self.shape, dtype=np.float32)
        whole = self.slot >= 0
        matrix[whole] = self.whole
        sparse_rows = np.flatnonzero(~whole)
        lengths = np.diff(self.starts)
        matrix[np.repeat(sparse_rows, lengths), self.columns.astype(np.intp)] = self.values
        return matrix
