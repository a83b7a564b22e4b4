"""Reader and loader for the hand-checked fixture graph in ``seed/fixture/graph.yaml``.

The YAML lists ``nodes`` (``label`` + properties; ids come from the ontology's natural keys)
and ``edges`` (``type``, ``from`` / ``to`` node ids, optional ``key`` to make an event its own
relationship, ``from_date`` / ``to_date`` for the relationship's own ``from`` / ``to``
validity dates, and properties). Top-level ``source``, ``owner``, ``tlp``, ``seen`` give the
provenance defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from graphapi import resources
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, WriteCounts, write_records
from graphapi.ontology import load_model
from graphapi.store.base import GraphStore

FIXTURE = resources.SEED / "fixture" / "graph.yaml"


def read_fixture(path: Path = FIXTURE) -> tuple[dict[str, Any], Iterator[NodeRecord | EdgeRecord]]:
    """Parse the fixture: ``(header, records)`` where header holds source/owner/tlp/seen."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = load_model()
    source = doc["source"]

    def records() -> Iterator[NodeRecord | EdgeRecord]:
        for i, raw in enumerate(doc["nodes"], start=1):
            props = dict(raw)
            label = props.pop("label")
            node_id = model.node_id(label, props)
            props.pop("id", None)
            yield NodeRecord(label, node_id, props, Origin(source, path.name, i))
        for i, raw in enumerate(doc["edges"], start=1):
            props = dict(raw)
            rel_type, start, end = props.pop("type"), props.pop("from"), props.pop("to")
            key = str(props.pop("key", ""))
            for yaml_name, prop in (("from_date", "from"), ("to_date", "to")):
                if yaml_name in props:
                    props[prop] = props.pop(yaml_name)
            rel_id = model.relationship_id(rel_type, start, end, key)
            yield EdgeRecord(rel_type, rel_id, start, end, props, Origin(source, path.name, len(doc["nodes"]) + i))

    return doc, records()


async def load_fixture(store: GraphStore, path: Path = FIXTURE) -> WriteCounts:
    """Load the fixture graph into ``store`` (idempotent). Returns the writer's counts."""
    doc, records = read_fixture(path)
    prov = Provenance(owner=doc.get("owner", "lintas"), tlp=doc.get("tlp", "GREEN"), seen=doc.get("seen"))
    return await write_records(store, records, provenance=prov, source=doc["source"])
