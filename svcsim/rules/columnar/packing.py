"""Several integer columns as one int64 key per row: the engine's one way of packing keys.

Sorting, de-duplicating and grouping rows by several integer columns is much
faster on one int64 per row than on the columns themselves (``np.sort`` of
int64 values against ``np.lexsort``, ``duplicated`` of one array against a
DataFrame's). :func:`packed_keys` makes that int64 so that two rows' keys
compare as the rows do, column by column, and are equal exactly when the rows
are. The compiled event sort (:mod:`~svcsim.rules.columnar.sort_kernels`)
packs its bit fields inside its own loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["packed_keys"]

_LIMIT = 2**63  # one more than the largest int64


def packed_keys(columns: Sequence[np.ndarray], sizes: Sequence[int] | None = None) -> np.ndarray | None:
    """One int64 per row of ``columns`` (most significant first), ordered and equal as the rows are.

    The key is the mixed-radix number ``(...(c0 * s1 + c1) * s2 + c2 ...)``
    where column ``k`` holds values ``0 .. sizes[k] - 1``; so with sizes that
    are powers of two it is the columns side by side in bit fields, and
    ``key // (s1 * s2 ...)`` gives back the first column. Without ``sizes``,
    each column is taken less its minimum, its size its range plus one.
    None when the key would not fit (the product of the sizes passes 2**63).
    """
    columns = [np.asarray(c) for c in columns]
    n = len(columns[0]) if columns else 0
    if sizes is None:
        lows = [int(c.min()) if n else 0 for c in columns]
        sizes = [int(c.max()) - low + 1 if n else 1 for c, low in zip(columns, lows, strict=True)]
        columns = [c.astype(np.int64) - low if low else c for c, low in zip(columns, lows, strict=True)]
    total = 1
    for size in sizes:
        total *= max(int(size), 1)
    if total > _LIMIT:
        return None
    key = np.zeros(n, dtype=np.int64) if not columns else columns[0].astype(np.int64)  # a copy of its own
    for column, size in zip(columns[1:], sizes[1:], strict=True):
        key *= int(size)
        key += column
    return key
