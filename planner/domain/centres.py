"""The centre table: stable ids, names, projected x/y in metres, lon/lat, weights, attributes.

A :class:`Centres` is immutable. Readers in :mod:`planner.geo.io` build it; everything else only
reads it. Row ``i`` of every array is the same centre; a centre's *id* is the string it came with
(or a stable generated one) and never changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Centres"]


def _frozen(array: np.ndarray, dtype=float) -> np.ndarray:
    out = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Centres:
    """Centres with projected coordinates (metres) and original attributes.

    Parameters
    ----------
    ids, names:
        One string per centre. Ids must be unique.
    xy:
        ``(N, 2)`` projected coordinates in metres, in ``crs``.
    lonlat:
        ``(N, 2)`` WGS84 longitude, latitude.
    crs:
        The projected CRS of ``xy`` (``"EPSG:27700"`` in Great Britain, else a UTM zone).
    attributes:
        Ordered mapping column -> sequence of N values (the caller's other columns, unchanged).
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    xy: np.ndarray
    lonlat: np.ndarray
    crs: str = "EPSG:27700"
    attributes: Mapping[str, Sequence] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        n = len(self.ids)
        object.__setattr__(self, "ids", tuple(str(i) for i in self.ids))
        object.__setattr__(self, "names", tuple(str(s) for s in self.names))
        object.__setattr__(self, "xy", _frozen(np.asarray(self.xy, dtype=float).reshape(n, 2)))
        object.__setattr__(
            self, "lonlat", _frozen(np.asarray(self.lonlat, dtype=float).reshape(n, 2))
        )
        attrs = {str(k): tuple(v) for k, v in dict(self.attributes).items()}
        object.__setattr__(self, "attributes", attrs)
        if len(self.names) != n:
            raise ValueError(f"{len(self.names)} names for {n} ids")
        for col, values in attrs.items():
            if len(values) != n:
                raise ValueError(f"attribute {col!r} has {len(values)} values for {n} centres")
        index = {cid: i for i, cid in enumerate(self.ids)}
        if len(index) != n:
            seen: set[str] = set()
            dups = sorted({c for c in self.ids if c in seen or seen.add(c)})
            raise ValueError(f"duplicate centre ids: {', '.join(dups[:10])}")
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, centre_id: str) -> int:
        """Row of ``centre_id``; ``KeyError`` naming the id if absent."""
        try:
            return self._index[str(centre_id)]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(f"no centre with id {centre_id!r}") from None

    def indices_of(self, centre_ids: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.index_of(c) for c in centre_ids), dtype=np.intp)

    def __contains__(self, centre_id: object) -> bool:
        return str(centre_id) in self._index  # type: ignore[attr-defined]

    def numeric(self, column: str) -> np.ndarray:
        """Attribute ``column`` as floats (a weight). ``ValueError`` names the first bad row."""
        if column not in self.attributes:
            raise KeyError(
                f"no column {column!r}; columns are: {', '.join(self.attributes) or '(none)'}"
            )
        values = self.attributes[column]
        out = np.empty(len(values), dtype=float)
        for i, v in enumerate(values):
            try:
                out[i] = float(v)
            except (TypeError, ValueError):
                raise ValueError(
                    f"column {column!r} row for centre {self.ids[i]!r}: {v!r} is not a number"
                ) from None
            if not np.isfinite(out[i]) or out[i] < 0:
                raise ValueError(
                    f"column {column!r} row for centre {self.ids[i]!r}: {v!r} is not a "
                    "non-negative number"
                )
        return out

    def numeric_columns(self) -> list[str]:
        """Attribute columns whose every value is a non-negative number (candidate weights)."""
        out = []
        for col in self.attributes:
            try:
                self.numeric(col)
            except ValueError:
                continue
            out.append(col)
        return out
