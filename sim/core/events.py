"""Sampling who experiences an event without a draw per holder.

A month's events (a need arising, a job lost, a holder leaving) touch a small share of millions
of holders. Drawing one uniform per holder costs a pass over all of them; these samplers cost
what the events cost:

- `bernoulli_rows`: the rows of an independent Bernoulli(p) trial per row, found by summing
  geometric gaps (the gaps between successes of a Bernoulli sequence are iid geometric), or
  for a few expected rows as a binomial count of uniformly drawn distinct rows, so the result
  has exactly the distribution of `flatnonzero(rng.random(n) < p)`;
- thinning (see `thin`): candidates drawn at an upper bound `p_max` of every row's probability,
  each kept with probability p_i / p_max, are exactly the rows of independent Bernoulli(p_i)
  trials;
- `holder_uniforms`: a uniform per holder and stream key by hashing the row (SplitMix64), so a
  holder meets the same luck however many others are drawn (common random numbers);
  `holder_draws` gives several per holder the same way.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

DENSE = 0.25  # above this probability one uniform per row is cheaper than geometric gaps
FEW = 32.0  # below this expected number of rows a binomial count and a subset are cheaper
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def bernoulli_rows(rng: np.random.Generator, n: int, p: float) -> NDArray[np.int64]:
    """Sorted rows among `n` whose independent Bernoulli(`p`) trial succeeds."""
    if n <= 0 or p <= 0.0:
        return np.zeros(0, dtype=np.int64)
    if p >= 1.0:
        return np.arange(n, dtype=np.int64)
    if p > DENSE:
        return np.flatnonzero(rng.random(n) < p)
    expected = n * p
    if expected < FEW:  # a binomial count, then that many distinct rows, uniformly
        k = int(rng.binomial(n, p))
        rows = np.unique(rng.integers(0, n, k))
        while rows.size < k:  # rejecting repeats keeps the subset uniform
            rows = np.unique(np.concatenate([rows, rng.integers(0, n, k - rows.size)]))
        return rows
    batch = int(expected + 6.0 * math.sqrt(expected) + 16)
    rows = np.cumsum(_gaps(rng, p, batch, n)) - 1
    while rows[-1] < n:  # rarely: the batch fell short of the last row
        more = np.cumsum(_gaps(rng, p, batch, n)) + rows[-1]
        rows = np.concatenate([rows, more])
    return rows[: np.searchsorted(rows, n)]


def _gaps(rng: np.random.Generator, p: float, size: int, n: int) -> NDArray[np.int64]:
    """Geometric gaps, those beyond `n` cut to n + 1 (past the end either way; no overflow)."""
    return np.minimum(rng.geometric(p, size=size), n + 1)


def thin(
    rng: np.random.Generator, probability: NDArray[np.floating], bound: float
) -> NDArray[np.bool_]:
    """Keep each candidate drawn at rate `bound` with probability `probability / bound`.

    One uniform per candidate, drawn whatever the outcome, so the candidates' draws do not
    depend on their probabilities (common random numbers).
    """
    u = rng.random(probability.size)
    return u * bound < probability


def outside(rows: NDArray[np.int64], others: NDArray[np.int64]) -> NDArray[np.int64]:
    """The `rows` not among `others` (sorted); cheaper than `setdiff1d` for small `others`."""
    if others.size == 0:
        return rows
    at = np.minimum(np.searchsorted(others, rows), others.size - 1)
    return rows[others[at] != rows]


def holder_uniforms(key: int, rows: NDArray[np.integer]) -> NDArray[np.float64]:
    """A uniform in [0, 1) per row for stream `key`: a pure function of (key, row)."""
    x = rows.astype(np.uint64)
    x *= _GOLDEN
    x += np.uint64(key)
    shifted = np.empty_like(x)  # SplitMix64's finaliser in place: two buffers, not eight
    for shift, mix in ((30, _MIX1), (27, _MIX2), (31, None)):
        np.right_shift(x, np.uint64(shift), out=shifted)
        x ^= shifted
        if mix is not None:
            x *= mix
    x >>= np.uint64(11)
    u = x.astype(np.float64)
    u *= 2.0**-53
    return u


def holder_draws(key: int, rows: NDArray[np.integer], n: int) -> NDArray[np.float64]:
    """`n` uniforms per row (shape rows x n) for stream `key`: a pure function of (key, row)."""
    cells = rows.astype(np.int64)[:, None] * n + np.arange(n)
    return holder_uniforms(key, cells.ravel()).reshape(cells.shape)


def standard_gumbel[F: (np.float32, np.float64)](u: NDArray[F]) -> NDArray[F]:
    """Standard Gumbel draws from uniforms in [0, 1), in their dtype (`u` is clipped in place).

    The uniforms are kept off 0 and 1, where -log(-log u) would be infinite.
    """
    info = np.finfo(u.dtype)
    np.clip(u, info.tiny, u.dtype.type(1) - info.epsneg, out=u)
    return -np.log(-np.log(u))
