"""Row-set comparisons that ignore order and container types (Spark rows, pandas, numpy)."""

from __future__ import annotations

import math
from typing import Any, Iterable, List, Sequence, Tuple


def _plain(v: Any) -> Any:
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()  # numpy scalar -> Python
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _key(row: Tuple[Any, ...]) -> Tuple[Any, ...]:
    return tuple((v is None, str(type(v)), v if v is not None else 0) for v in row)


def rows_of_spark(df, columns: Sequence[str]) -> List[Tuple[Any, ...]]:
    return sorted((tuple(_plain(r[c]) for c in columns) for r in df.collect()), key=_key)


def rows_of_pandas(pdf, columns: Sequence[str]) -> List[Tuple[Any, ...]]:
    records: Iterable[Tuple[Any, ...]] = pdf[list(columns)].itertuples(index=False, name=None)
    return sorted((tuple(_plain(v) for v in r) for r in records), key=_key)


PEOPLE = ("id", "name", "score", "region")
CDF = PEOPLE + ("_change_type", "_commit_version")
