"""A path between two entities: nodes in order, the relationships between them, the borders it
crosses; and ``paths``' answer."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import strawberry

from graphapi.investigate.borders import borders_of
from graphapi.investigate.path_modes import PathSearch as PathSearchRecord
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.relationship import Relationship
from graphapi.store import Path as PathRecord

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.enum(description="Which paths `paths` returns.")
class PathMode(enum.Enum):
    SHORTEST = "SHORTEST"
    ALL_SHORTEST = "ALL_SHORTEST"
    K_SHORTEST = "K_SHORTEST"


@strawberry.enum(description="How a path crosses a border.")
class BorderKind(enum.Enum):
    CROSSED = "CROSSED"
    COUNTRY_CHANGE = "COUNTRY_CHANGE"
    CHECKPOINT = "CHECKPOINT"


@strawberry.type(
    description=(
        "A border a path crosses at relationship `hop` (0-based). CROSSED: the hop is a CROSSED relationship; "
        "COUNTRY_CHANGE: the hop's two entities lie in countries that share none; CHECKPOINT: the hop reaches a "
        "BorderCheckpoint that no CROSSED hop touches. An entity's countries are its country, nationality and "
        "countries (ISO 3166-1 alpha-2)."
    )
)
class BorderCrossing:
    hop: int
    kind: BorderKind
    from_countries: list[str] = strawberry.field(
        description="Countries of the entity the hop leaves (for CROSSED: of the entity that crossed)."
    )
    to_countries: list[str] = strawberry.field(
        description="Countries of the entity the hop reaches (for CROSSED and CHECKPOINT: the checkpoint's)."
    )


@strawberry.type(description="A path: `nodes` from start to end and the `relationships` joining them, in order.")
class Path:
    nodes: list[Entity]
    relationships: list[Relationship]
    length: int = strawberry.field(description="Number of hops (= number of relationships).")
    borders: list[BorderCrossing] = strawberry.field(description="The borders the path crosses, in path order.")

    @classmethod
    def from_record(cls, path: PathRecord, shown: Shown) -> Path:
        """Build from a store ``Path``."""
        return cls(
            nodes=[shown.entity(n) for n in path.nodes],
            relationships=[shown.relationship(r) for r in path.relationships],
            length=path.length,
            borders=[BorderCrossing(hop=b.hop, kind=BorderKind(b.kind), from_countries=list(b.from_countries),
                                    to_countries=list(b.to_countries)) for b in borders_of(path)],
        )


@strawberry.type(description="Paths between two entities, shortest first.")
class PathSearch:
    paths: list[Path]
    truncated: bool = strawberry.field(
        description="True if the candidate budget ran out before enough paths met crossBorder / viaCountries."
    )

    @classmethod
    def from_record(cls, found: PathSearchRecord, shown: Shown) -> PathSearch:
        """Build from the service's ``PathSearch``."""
        return cls(paths=[Path.from_record(f.path, shown) for f in found.paths], truncated=found.truncated)
