"""Provenance stamped on what a load writes: the :class:`Provenance` defaults (owner, TLP, sharing,
seen) and :func:`stamp`, which puts them on one record's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphapi.ontology import TLP_LEVELS


def utc_now() -> str:
    """The current instant as ISO 8601 UTC, second precision, no offset suffix (the
    ``datetime`` type's canonical form, so provenance and event times compare as strings)."""
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Provenance:
    """Defaults stamped on every node and relationship a load writes.

    ``owner``: agency id; ``tlp``: TLP 2.0 level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED);
    ``shared_with``: agency ids; ``seen``: ISO 8601 UTC instant used as firstSeen/lastSeen when a
    record brings none (defaults to the start of the load). A record's own ``owner``, ``tlp``,
    ``sharedWith``, ``firstSeen``, ``lastSeen`` properties win over these.
    """

    owner: str = "lintas"
    tlp: str = "AMBER"
    shared_with: tuple[str, ...] = ()
    seen: str | None = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if isinstance(self.shared_with, str | bytes):  # Provenance(owner, tlp, SEEN) stored sharedWith ["2", "0", ...]
            raise TypeError(f"Provenance shared_with takes agency ids (a tuple), not a string: {self.shared_with!r}")
        object.__setattr__(self, "shared_with", tuple(self.shared_with))
        if not self.seen:
            object.__setattr__(self, "seen", utc_now())
        if self.tlp not in TLP_LEVELS:
            raise ValueError(f"tlp must be one of {TLP_LEVELS}, got {self.tlp!r}")


def stamp(props: dict[str, Any], source: str, prov: Provenance) -> dict[str, Any]:
    """A new dict: ``props`` without empty values, with ``source`` among its sources and the
    provenance defaults where the record brings none (``props`` itself is not changed)."""
    # a value that is true is none of None, [] and "": kept on that test alone (most values)
    out = {k: v for k, v in props.items() if v or (v is not None and v != [] and v != "")}
    had = out.get("sources")
    out["sources"] = list(dict.fromkeys([*had, source])) if had else [source]
    out.setdefault("firstSeen", prov.seen)
    out.setdefault("lastSeen", out["firstSeen"] if "firstSeen" in props else prov.seen)
    out.setdefault("owner", prov.owner)
    out.setdefault("tlp", prov.tlp)
    if prov.shared_with and "sharedWith" not in out:
        out["sharedWith"] = list(prov.shared_with)
    return out
