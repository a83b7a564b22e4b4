"""What a load's DELs did (:class:`Retractions`, the counts its summary reports) and one
statement's worth of a DEL (:class:`Batch`, with what its pending mark keeps for a killed run's
finish): the state :mod:`graphapi.ingest.retraction` and the paths sharing its batches pass around."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Retractions:
    """What a load's DELs did: items deleted, and items left with the load's source withdrawn
    (``relationships_deleted`` includes those deleted with their node)."""

    nodes_deleted: int = 0
    nodes_retracted: int = 0
    relationships_deleted: int = 0
    relationships_retracted: int = 0
    statements_retracted: int = 0
    #: values a whole-source replace removed from statements it kept (graphapi.ingest.replacement)
    values_retracted: int = 0
    #: items a whole-source replace narrowed to their owner's narrower records: counted updated
    nodes_narrowed: set[str] = field(default_factory=set)
    relationships_narrowed: set[str] = field(default_factory=set)
    #: items re-owned (to a narrower statement's owner, or an echoing agency's): another agency may
    #: see them now; the placeholders deleted with their last link; and those held anew at another
    #: link, whose owner, level or agencies changed: another agency may see them now too (attack
    #: round a-68, 2; graphapi/ingest/holder_bounds.py)
    reowned: int = 0
    #: the nodes re-owned, each with the agencies that see it now (None: everyone; a killed run's,
    #: unknown, as None): one re-owned to a wider statement widens its links' identifiers' views,
    #: checked by the breaker as an owner's MOD (attack round a-79, 2)
    reowned_nodes: dict[str, frozenset[str] | None] = field(default_factory=dict)
    #: the relationships re-owned, by (type, id), likewise: one re-owned to a wider statement is a
    #: link newly seen, checked as the nodes are (attack round a-82, 1)
    reowned_links: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)
    #: their stored ``(start, end)``, of a linking type's: read once, for the note and for the count
    reowned_ends: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: the identifiers those link to or end at, noted before the batch's mark went, unnoted once
    #: the breaker counted them (graphapi.ingest.pending_widenings; attack round a-82, 4)
    widened: set[str] = field(default_factory=set)
    #: the nodes about to be re-owned or held, each with who gains it (graphapi.ingest.widened_links):
    #: their links are followed, for the note and the count, only where a gaining agency sees them
    gains: dict[str, dict[str, Any]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    held: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Batch:
    """One statement's worth of a DEL: items ``ids`` (nodes when ``type`` is "", else
    relationships of that type) whose ``source`` (for ``owner``, ``scoped``) goes; ``mark``: the
    id of its pending mark; ``said``: the items whose statements an earlier, killed run of the
    same batch deleted (one per statement), from the mark; ``made``: the nodes it withdraws once
    done (:func:`graphapi.ingest.retraction.withdraw_made`), also from the mark."""

    mark: str
    type: str
    source: str
    owner: str
    scoped: bool
    ids: list[str]
    said: tuple[str, ...] = ()
    #: the identifier nodes the batch's records made of their values
    #: (:func:`graphapi.ingest.retraction.values_made`), read before it took their links and kept
    #: on its mark: a kill after the links went leaves nothing else to find them by (her node
    #: gone), so the finish withdraws these
    made: tuple[str, ...] = ()
    #: the nodes a killed run re-owned, those away from ``owner`` and, of those it took statements
    #: from, out of its sight, from the mark (``ingest/relevel_nodes`` keeps them there): its finish
    #: finds them re-owned already, and still moves their statement, withdraws the source from them
    #: and deletes the owner's links on them (attack round 45a, 3)
    reowned: tuple[str, ...] = ()
    away: tuple[str, ...] = ()
    unseen: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return {"ids": self.ids, "source": self.source, "owner": self.owner, "scoped": self.scoped}
