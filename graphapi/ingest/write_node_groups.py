"""A writer's node batch written group by group: each kind of write (created, updated, relabelled,
sources added) in its own batched statement, a write that removes properties sending the whole
map (FalkorDB's ``SET +=`` takes no null). Part of :mod:`graphapi.ingest.write_nodes`."""

from __future__ import annotations

from typing import Any


async def write_node_groups(writer: Any, groups: dict[tuple[str, str], list[dict[str, Any]]],
                            quiet: set[str]) -> None:
    """Write ``groups`` ((kind, label) -> rows of ``{id, props}``, or ``{id, sources}`` for kind
    ``sources``) for ``writer`` (a :class:`~graphapi.ingest.writer.Writer`), counting its batches
    and the nodes created and updated; ``quiet``: written, but counted unchanged."""
    for (kind, label), rows in groups.items():
        if kind == "sources":
            summary = await writer.store.write_batches("ingest/add_node_sources", rows, writer.batch_size)
        elif kind == "update":
            # a write that removes properties sends the whole map (replace_node_properties says why)
            removing = [{"id": r["id"], "props": {**_kept(r["props"]), "id": r["id"]}}
                        for r in rows if None in r["props"].values()]
            if removing:
                rows = [r for r in rows if None not in r["props"].values()]
                done = await writer.store.write_batches("ingest/replace_node_properties", removing, writer.batch_size)
                writer.counts.batches += done.batches
                writer._updated_nodes.update(r["id"] for r in removing if r["id"] not in quiet)
            summary = await writer.store.write_batches("ingest/update_nodes", rows, writer.batch_size)
        else:
            name = "ingest/create_nodes" if kind == "create" else "ingest/merge_nodes"
            # SET += takes no null (FalkorDB#1787): what a relabel removes goes with the whole
            # map once the labels are set; a new node has nothing to remove
            removing = [{"id": r["id"], "props": {**_kept(r["props"]), "id": r["id"]}}
                        for r in rows if None in r["props"].values()]
            rows = [{**r, "props": _kept(r["props"])} for r in rows]
            summary = await writer.store.write_batches(name, rows, writer.batch_size, labels=label)
            if removing and kind != "create":
                done = await writer.store.write_batches("ingest/replace_node_properties", removing, writer.batch_size)
                writer.counts.batches += done.batches
        writer.counts.batches += summary.batches
        if kind == "create":
            writer._created_nodes.update(r["id"] for r in rows)
        else:
            writer._updated_nodes.update(r["id"] for r in rows if r["id"] not in quiet)


def _kept(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` without the ones a write removes (its null values)."""
    return {k: v for k, v in props.items() if v is not None}
