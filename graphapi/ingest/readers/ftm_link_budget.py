"""How many relationships one FtM line may draw: a link entity at most the reader's
``max_links`` (``LINTAS_FTM_MAX_LINKS_PER_ENTITY``, its parties' cross product or its list of
parties), and any line, a node entity's too, at most one per :data:`BYTES_PER_LINK` bytes of the
line (:data:`LINKS_ANY_LINE` whatever its size), so a file draws no more than one per
:data:`BYTES_PER_LINK` bytes past those: 1 MB of Memberships of 10 members x 10 organizations,
each at the per-entity limit, drew 486,000 relationships (attack round a-57, 8), where the real
files of ``../shared/data/ftm`` take 82 bytes or more a relationship. The links a rejected line
still names (its agency's echoes kept no wider) are held to both limits too, its reject line
saying how many it names when that is fewer than it draws (:func:`said_note`).
"""

from __future__ import annotations

from collections.abc import Iterable

from graphapi.ingest.records import EdgeRecord

#: Relationships any line may draw, however short.
LINKS_ANY_LINE = 4
#: Bytes of its line each relationship a line draws past :data:`LINKS_ANY_LINE` takes at least.
BYTES_PER_LINK = 16


def links_allowed(line_bytes: int) -> int:
    """Relationships a line of ``line_bytes`` bytes may draw (with no per-entity limit)."""
    return max(LINKS_ANY_LINE, line_bytes // BYTES_PER_LINK)


def too_wide(schema: str, eid: str, drawn: int, line_bytes: int, max_links: int | None) -> str | None:
    """Why a line of ``line_bytes`` bytes whose ``schema`` entity ``eid`` draws ``drawn``
    relationships is rejected, or None; ``max_links``: the per-entity limit (None for a node
    entity, whose relationships are one a value)."""
    if max_links is not None and drawn > max_links:
        return (f"{schema} {eid!r} draws {drawn:,} relationships, over the limit of {max_links:,} one entity "
                "may draw (LINTAS_FTM_MAX_LINKS_PER_ENTITY); not loaded")
    if drawn > (allowed := links_allowed(line_bytes)):
        return (f"{schema} {eid!r} draws {drawn:,} relationships from a line of {line_bytes:,} bytes, over the "
                f"{allowed:,} such a line may draw (one per {BYTES_PER_LINK} bytes, {LINKS_ANY_LINE} on any "
                "line); not loaded")
    return None


def said_note(drawn: int, named: int) -> str:
    """What the reject line of a link entity drawing ``drawn`` relationships adds when it names
    only ``named`` of them (``FtmReader._said_links``: as many as it could draw loaded), else ""."""
    if named >= drawn:
        return ""
    return f"; only its first {named:,} links keep their echoes no wider, held to the same limits"


def links_written(items: Iterable[object]) -> int:
    """The relationships ``items`` merge or replace (a DEL's deletions write none)."""
    return sum(1 for item in items if isinstance(item, EdgeRecord) and item.op != "delete")
