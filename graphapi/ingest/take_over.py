"""Whether a record takes a held node over, and which of the node's labels it loses then.

A held-apart node or another agency's placeholder answers as missing to an agency outside its
audience, so a record of that agency seen by everyone who sees the node takes it over as a new
item (:func:`graphapi.ingest.relevel.taken_over`). Only under its own label when the node is a
placeholder: a bare reference, whose label is a guess. A held-apart node is its holder's record,
with values: taken over by a record of another kind of thing (KH-NP's Company on VN-MPS's Person),
the node turned into that thing for its holder, whose search for its own person found nothing and
whose link ended on a Company (attack round 31, MED). Nor by a record of a label refining it
either way: KH-NP's Organization on VN-MPS's held Company made it an Organization, lost to
VN-MPS's search for its Companies, its next Company record refused, and an Organization still
after KH-NP's DEL (attack round 33, finding 1). So a take-over never changes what the holder's
record says the item is: a record of any label but the node's own is refused as on an id its
holder held from the start ("held by", a hit): that disclosure, no more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.records import LoadWarning, Origin
from graphapi.ingest.relevel import taken_over
from graphapi.ingest.statements import Statement
from graphapi.ingest.write_rules import _a, _specific
from graphapi.ontology import Model
from graphapi.store.base import GraphStore


def take_over_steps(model: Model, stored: Mapping[str, Any], label: str,
                    record: Mapping[str, Any]) -> list[tuple[str, str]] | None:
    """None when a ``label`` record of properties ``record`` does not take over the stored node
    ``stored`` (``read_stored_nodes``'s row: ``labels``, ``props``); else how the node is made
    anew under the record's label: (a stored label it loses, or "" for none, ``label``) steps,
    none when it carries the record's labels already (:func:`write_take_overs` runs them)."""
    props, labels = stored.get("props") or {}, list(stored.get("labels") or [])
    if not taken_over(props, record):
        return None
    held = _specific(model, labels)
    if not props.get("unresolved") and held is not None and label != held:
        return None
    return relabel_steps(model, labels, label)


def relabel_steps(model: Model, labels: list[str], label: str) -> list[tuple[str, str]]:
    """How a node of stored ``labels`` is given exactly ``label``'s chain, as :func:`take_over_steps`
    says: one step per label it loses, or ("", ``label``) when it only gains some. Also for a
    placeholder a record resolves, whose label was the link's guess (an FtM Membership's member, an
    Organization, then a Person record: attack round 32)."""
    chain = model.label(label).labels
    lost = sorted(lb for lb in labels if lb not in chain)
    if lost:
        return [(lb, label) for lb in lost]
    return [("", label)] if set(chain) - set(labels) else []


async def write_take_overs(store: GraphStore, steps: Mapping[tuple[str, str], list[dict[str, Any]]],
                           batch_size: int) -> int:
    """Run the :func:`take_over_steps` of the nodes taken over (``steps``: step -> their rows),
    before their records' rows are written; returns the batches written."""
    batches = 0
    for (gone, label), rows in steps.items():
        if gone:
            done = await store.write_batches("ingest/take_over_label", rows, batch_size, gone=gone, labels=label)
        else:
            done = await store.write_batches("ingest/take_over_refined_label", rows, batch_size, labels=label)
        batches += done.batches
    return batches


def keep_label_apart(nid: str, label: str, guess: str, props: Mapping[str, Any], origin: Origin | None,
                     stmts: Iterable[tuple[Statement, bool]]) -> LoadWarning:
    """Keep a narrower ``label`` record's label, as its values, in its statements: another
    agency's placeholder ``nid`` stays its link's ``guess`` for everyone who reads it (a
    label is seen by all of them), and becomes the record's ``label`` when no link holds it
    (:mod:`graphapi.ingest.placeholder_release`). Before (attack round 33, 2) the
    record was refused on every load: another agency's bare reference blocked its own person.
    Returns the warning to give, not a rejection: the row loads."""
    for stmt, _ in stmts:
        stmt.label = label
    return LoadWarning(
        origin.file if origin else "", origin.line if origin else 0,
        f"{nid} is {_a(guess)} only as another agency's link guessed it (a placeholder): your "
        f"{props.get('tlp')} record of {_a(label)} is kept apart in its own statement, and {nid} reads as "
        f"{_a(label)}, to your record's readers only, once no link of that agency holds it",
        {"id": nid, "label": label})
