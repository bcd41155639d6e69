"""CsrRows sums a question's rows exactly as the whole matrix would."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.csr_rows import CsrRows


@pytest.fixture
def matrix() -> np.ndarray:
    rng = np.random.default_rng(3)
    dense = rng.normal(size=(200, 37)).astype(np.float32)
    dense[rng.random(dense.shape) < 0.85] = 0.0
    dense[17] = 0.0  # a row with nothing in it
    return dense


@pytest.fixture
def rows(matrix: np.ndarray) -> CsrRows:
    columns = [(np.flatnonzero(matrix[:, c]), matrix[np.flatnonzero(matrix[:, c]), c]) for c in range(matrix.shape[1])]
    return CsrRows.from_columns(matrix.shape[0], columns)


def test_it_holds_the_matrix_it_was_built_from(matrix, rows):
    np.testing.assert_array_equal(rows.dense(), matrix)
    assert rows.nbytes < matrix.nbytes


@pytest.mark.parametrize("picked", [[0], [17], [3, 3, 150], list(range(0, 200, 7)), []])
def test_a_weighted_sum_of_rows_equals_the_dense_product(matrix, rows, picked):
    weights = np.linspace(0.1, 1.0, len(picked))
    expected = weights @ matrix[picked].astype(np.float64) if picked else np.zeros(matrix.shape[1])
    np.testing.assert_allclose(rows.weighted_sum(picked, weights.tolist()), expected, rtol=1e-12, atol=1e-12)
