"""Reader for the gazetteers (``seed/gazetteers`` and ``LINTAS_GAZETTEERS``): each entry becomes
the node its names resolve to (``graphapi.ingest.identity.gazetteer``), so a feed's row that
names a checkpoint, compound or bank by any alias meets the gazetteer's node, with its names,
countries and (where known) coordinates.

- ``checkpoints`` -> BorderCheckpoint, id the entry's (``bcp-th-mm-mae-sot``): name, aliases,
  countries, kind, lat/lon.
- ``compounds`` -> Compound, id the entry's (``cmp-mm-kk-park``): name, aliases, country, status,
  lat/lon (where an entry gives them: the seed's are approximate, town level);
  the reported place and the OFAC ids of its operators in ``notes``.
- ``banks`` -> Bank, id ``bank-<entry id>`` (``bank-th-kbank``): name, aliases, BIC, country;
  an e-wallet and an OFAC designation (``ofac-55939``) in ``notes``; the node an account of the
  bank links to (``AT_BANK``, :mod:`graphapi.ingest.identity.banks`).

An entry whose values do not clean (an unknown country, a BIC that is none, a latitude outside
-90..90 or a longitude outside -180..180) is rejected with
its reason; rows read = loaded + rejected (one row per entry).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphapi.ingest.identity.banks import bank_node_id, bank_properties
from graphapi.ingest.identity.gazetteer import KINDS, Entry, gazetteer, gazetteer_paths
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.records import NodeRecord, Origin, Rejection
from graphapi.ontology.types import get_type

SOURCE = "gazetteer"


def _list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


class GazetteerReader:
    """Reads the gazetteers of ``kinds`` (default: all); see the module docstring."""

    def __init__(self, kinds: tuple[str, ...] = KINDS, *, source: str = SOURCE) -> None:
        self.kinds = kinds
        self.source = source
        self.stats = ReadStats()
        self._t = {n: get_type(n) for n in ("country", "float")}

    def records(self) -> Iterator[Item]:
        """One node (or rejection) per entry, kind by kind."""
        for kind in self.kinds:
            files = ", ".join(p.name for p in gazetteer_paths(kind))
            for n, entry in enumerate(gazetteer(kind).entries.values(), start=1):
                self.stats.rows += 1
                origin = Origin(self.source, f"{kind}.yaml", n)
                try:
                    yield self._node(kind, entry, origin)
                except ValueError as exc:
                    self.stats.rejected += 1
                    yield Rejection(files or f"{kind}.yaml", n, f"{entry.id}: {exc}", entry.fields)

    def _clean(self, type_name: str, value: Any, what: str) -> Any:
        cleaned = self._t[type_name].clean(value)
        if cleaned is None:
            raise ValueError(f"{what} {value!r} is no {type_name}")
        return cleaned

    def _position(self, e: Entry) -> dict[str, float]:
        """``lat``/``lon`` of an entry that gives them (WGS 84 degrees), range-checked: a map or
        ``nearby`` must never place a site at an impossible position."""
        out: dict[str, float] = {}
        for axis, bound in (("lat", 90), ("lon", 180)):
            if e.get(axis) is not None:
                value = self._clean("float", e.get(axis), axis)
                if not -bound <= value <= bound:
                    raise ValueError(f"{axis} {value} is not between -{bound} and {bound} degrees")
                out[axis] = value
        return out

    def _node(self, kind: str, e: Entry, o: Origin) -> NodeRecord:
        props: dict[str, Any] = {"name": e.name, "alias": list(e.aliases)}
        notes: list[str] = []
        if kind == "checkpoints":
            props["countries"] = [self._clean("country", c, "country") for c in _list(e.get("countries"))]
            props["kind"] = e.get("kind")
            props.update(self._position(e))
            label, node_id = "BorderCheckpoint", e.id
        elif kind == "compounds":
            props["country"] = self._clean("country", e.get("country"), "country") if e.get("country") else None
            props.update(self._position(e))
            props["status"] = e.get("status")
            notes += [f"place: {e.get('place')}"] if e.get("place") else []
            notes += [f"operated by (OFAC SDN): {', '.join(_list(e.get('operators')))}"] if e.get("operators") else []
            label, node_id = "Compound", e.id
        else:  # what an account of the bank links to (graphapi.ingest.identity.banks)
            return NodeRecord("Bank", bank_node_id(e), bank_properties(e), o)
        if notes:
            props["notes"] = "; ".join(notes)
        return NodeRecord(label, node_id, {k: v for k, v in props.items() if v not in (None, [], "")}, o)
