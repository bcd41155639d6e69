"""A sparse matrix as three NumPy arrays (compressed rows), for weights too large and too empty to keep whole: a
thousand services' classifier has 3,000 columns, most of each row zero. Picks a question's few rows and sums them,
weighted, with vectorised NumPy (no SciPy in the workers)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class CsrRows:
    def __init__(self, indptr: np.ndarray, indices: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> None:
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.min_scalar_type(max(shape[1] - 1, 0)))
        self.values = np.asarray(values, dtype=np.float32)
        self.shape = shape

    @classmethod
    def from_columns(cls, rows: int, columns: Sequence[tuple[np.ndarray, np.ndarray]]) -> CsrRows:
        """From each column's (row indices, values): how a label-by-label fit produces its weights."""
        all_rows = np.concatenate([np.asarray(r, dtype=np.int64) for r, _ in columns] or [np.zeros(0, np.int64)])
        all_cols = np.repeat(np.arange(len(columns), dtype=np.int64), [len(r) for r, _ in columns])
        all_values = np.concatenate([np.asarray(v, dtype=np.float32) for _, v in columns] or [np.zeros(0, np.float32)])
        indptr = np.concatenate([[0], np.cumsum(np.bincount(all_rows, minlength=rows))])
        order = np.argsort(all_rows, kind="stable")  # by row; within a row by column, as they were given
        return cls(indptr, all_cols[order], all_values[order], (rows, len(columns)))

    @property
    def nbytes(self) -> int:
        return self.indptr.nbytes + self.indices.nbytes + self.values.nbytes

    def weighted_sum(self, rows: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """sum(weights[i] * row rows[i]) in float64, as SparseRows.weighted_sum."""
        picked = np.asarray(rows, dtype=np.intp)
        starts, ends = self.indptr[picked], self.indptr[picked + 1]
        lengths = ends - starts
        # The positions of every picked row's entries, in one array: each row's start, counted on from there.
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        positions = np.arange(int(lengths.sum()), dtype=np.int64) + offsets
        factors = np.repeat(np.asarray(weights, dtype=np.float64), lengths)
        summed: np.ndarray = np.bincount(self.indices[positions], weights=self.values[positions] * factors,
                                         minlength=self.shape[1])
        return summed

    def dense(self) -> np.ndarray:
        matrix = np.zeros(self.shape, dtype=np.float32)
        row_of = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        matrix[row_of, self.indices.astype(np.intp)] = self.values
        return matrix
