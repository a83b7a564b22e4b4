"""Which borders a path crosses (issue 15, cross-border paths).

A hop crosses a border when it is a CROSSED relationship (a person through a checkpoint), or when
both its entities lie in known countries and share none (a Vietnamese victim recruited by a Thai
recruiter). A BorderCheckpoint on a path reached by no CROSSED hop is a crossing too. An entity's
countries are every country-typed property its label declares (``country``, ``nationality``,
``countries``: the ontology's, as the search country filter reads them); an entity with none
(a wallet, a case) never makes a country change.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.ingest.derive import country_codes_for
from graphapi.ontology import load_model
from graphapi.store import Node, Path

CHECKPOINT = "BorderCheckpoint"


@dataclass(frozen=True)
class Border:
    """A border crossed at relationship ``hop`` (0-based) of a path.

    ``kind``: CROSSED (the hop is a CROSSED relationship), COUNTRY_CHANGE (the hop's two entities lie
    in different countries) or CHECKPOINT (the hop reaches a BorderCheckpoint no CROSSED hop touches).
    ``from_countries``: the countries of the entity the hop leaves; ``to_countries``: of the entity it
    reaches, or the checkpoint's countries for CROSSED and CHECKPOINT.
    """

    hop: int
    kind: str
    from_countries: tuple[str, ...]
    to_countries: tuple[str, ...]


def countries_of(node: Node) -> tuple[str, ...]:
    """Sorted ISO 3166-1 alpha-2 codes of ``node``'s country-typed properties."""
    return tuple(country_codes_for(load_model().label(node.label), node.properties))


def borders_of(path: Path) -> list[Border]:
    """The borders ``path`` crosses, in path order (at most one per hop)."""
    nodes, rels = path.nodes, path.relationships
    codes = [countries_of(n) for n in nodes]
    crossed_at = {i for i, r in enumerate(rels) if r.type == "CROSSED"}
    out: list[Border] = []
    for i in range(len(rels)):
        here, there = codes[i], codes[i + 1]
        if i in crossed_at:
            checkpoint, other = (i + 1, i) if CHECKPOINT in nodes[i + 1].labels else (i, i + 1)
            out.append(Border(i, "CROSSED", codes[other], codes[checkpoint]))
        elif CHECKPOINT in nodes[i + 1].labels and i + 1 not in crossed_at:
            out.append(Border(i, "CHECKPOINT", here, there))
        elif here and there and not set(here) & set(there):
            out.append(Border(i, "COUNTRY_CHANGE", here, there))
    return out


def crosses_border(path: Path) -> bool:
    """True if ``path`` crosses at least one border."""
    return bool(borders_of(path))


def passes_through(path: Path, countries: set[str]) -> bool:
    """True if an entity strictly inside ``path`` (not an end) lies in one of ``countries``."""
    return any(set(countries_of(n)) & countries for n in path.nodes[1:-1])
