"""The classifier's weights kept by rows: the same sums as the dense matrix, in less memory."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.sparse_rows import SparseRows

COLUMNS = 201  # three folds of 67 labels, as the matcher has


@pytest.fixture
def matrix() -> np.ndarray:
    """Rows as the weights have them: a few well filled, most with a tenth to a third filled, one empty."""
    rng = np.random.default_rng(7)
    filled = rng.choice([0.05, 0.1, 0.3, 0.6, 0.95], size=400, p=[0.3, 0.3, 0.2, 0.1, 0.1])
    dense = rng.normal(size=(400, COLUMNS)) * (rng.random((400, COLUMNS)) < filled[:, np.newaxis])
    dense[17] = 0.0
    return dense.astype(np.float32)


@pytest.fixture
def rows(matrix: np.ndarray) -> SparseRows:
    return SparseRows(matrix)


@pytest.mark.parametrize("picked", [
    [3, 17, 42, 399, 0, 250],  # whole and sparse rows together, the empty row among them
    [42, 42, 5],  # a row picked twice (an n-gram in two views never is, but the sum must not care)
    [],
])
def test_a_weighted_sum_of_rows_equals_the_dense_product(matrix, rows, picked):
    weights = np.linspace(0.1, 1.0, len(picked)).tolist()
    expected = np.asarray(weights) @ matrix.take(picked, axis=0) if picked else np.zeros(COLUMNS)
    np.testing.assert_allclose(rows.weighted_sum(picked, weights), expected, rtol=1e-12, atol=1e-12)


def test_picks_of_only_whole_or_only_sparse_rows_sum_the_same(matrix, rows):
    for kind in (rows.slot >= 0, rows.slot < 0):
        picked = np.flatnonzero(kind)[:30].tolist()
        weights = [0.5] * len(picked)
        np.testing.assert_allclose(rows.weighted_sum(picked, weights), 0.5 * matrix[picked].sum(axis=0, dtype=float),
                                   rtol=1e-6, atol=1e-9)


def test_the_dense_matrix_comes_back_unchanged(matrix, rows):
    assert np.array_equal(rows.dense(), matrix)


def test_a_mostly_zero_matrix_takes_less_memory_than_dense(matrix, rows):
    assert rows.nbytes < 0.7 * matrix.nbytes
