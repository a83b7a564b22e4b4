"""Reader and loader for the hand-checked fixture graph in ``seed/fixture/graph.yaml``.

The YAML lists ``nodes`` (``label`` + properties; ids come from the ontology's natural keys)
and ``edges`` (``type``, ``from`` / ``to`` node ids, optional ``key`` to make an event its own
relationship, ``from_date`` / ``to_date`` for the relationship's own ``from`` / ``to``
validity dates, and properties). Top-level ``source``, ``owner``, ``tlp``, ``seen`` give the
provenance defaults. Values are cleaned by the ontology's types as every loader cleans them, so
the fixture's ``2024-09-12T08:15:00Z`` is stored as a loader stores it (``2024-09-12T08:15:00``,
UTC): time bounds compare the two alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from graphapi import resources
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.service import clean_properties
from graphapi.ingest.writer import Provenance, WriteCounts, write_records
from graphapi.ontology import load_model
from graphapi.ontology.types import get_type
from graphapi.store.base import GraphStore

FIXTURE = resources.SEED / "fixture" / "graph.yaml"
#: Properties a fixture item may set to give itself another level than the file's.
SHARING = ("owner", "tlp", "sharedWith")


def read_fixture(path: Path = FIXTURE) -> tuple[dict[str, Any], Iterator[NodeRecord | EdgeRecord]]:
    """Parse the fixture: ``(header, records)`` where header holds source/owner/tlp/seen."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = load_model()
    source = doc["source"]

    def _cleaned(spec: dict[str, Any], props: dict[str, Any], what: str) -> dict[str, Any]:
        sharing = {k: props.pop(k) for k in SHARING if k in props}  # an item's own level
        return {**clean_properties(model, spec, props, {}, what), **sharing}

    def records() -> Iterator[NodeRecord | EdgeRecord]:
        for i, raw in enumerate(doc["nodes"], start=1):
            props = dict(raw)
            label = props.pop("label")
            given_id = props.pop("id", None)
            props = _cleaned(model.label(label).properties, props, label)
            node_id = model.node_id(label, {**props, "id": given_id} if given_id else props)
            yield NodeRecord(label, node_id, props, Origin(source, path.name, i))
        for i, raw in enumerate(doc["edges"], start=1):
            props = dict(raw)
            rel_type, start, end = props.pop("type"), props.pop("from"), props.pop("to")
            key = str(props.pop("key", ""))
            for yaml_name, prop in (("from_date", "from"), ("to_date", "to")):
                if yaml_name in props:
                    props[prop] = props.pop(yaml_name)
            props = _cleaned(model.relationship(rel_type).properties, props, rel_type)
            rel_id = model.relationship_id(rel_type, start, end, key)
            yield EdgeRecord(rel_type, rel_id, start, end, props, Origin(source, path.name, len(doc["nodes"]) + i))

    return doc, records()


async def load_fixture(store: GraphStore, path: Path = FIXTURE) -> WriteCounts:
    """Load the fixture graph into ``store`` (idempotent). Returns the writer's counts."""
    doc, records = read_fixture(path)
    seen = get_type("datetime").clean(doc["seen"]) if doc.get("seen") else None
    prov = Provenance(owner=doc.get("owner", "lintas"), tlp=doc.get("tlp", "GREEN"), seen=seen)
    return await write_records(store, records, provenance=prov, source=doc["source"])
