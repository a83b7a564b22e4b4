"""The one-off adoption, at store start, of the values nodes hold that no statement gives (written
before the statement model), as statements of each node's owner.

A node written before the statement model holds values and no statement. Once a load states it
(another agency's record, or another source of its owner's), a DEL of that statement (or a replace
that now only refers to the node) took the node's last statement and emptied it, and the values no
statement ever gave went with the DEL's (attack round a-103, 1). They were adopted when a load first
stated the node, which left three holes (attack round a-106): a node with no ``sources`` adopted
nothing (2), a node a load had stated before that change never adopted (3: adoption only where no
statement was), and whether a load adopted depended on statements the loader could not see (4: a
write more or less, a timing oracle).

So ``init_schema`` adopts them once per graph, as :mod:`graphapi.store.audience_repair` repairs:
unless the graph bears the mark (an index, :mod:`graphapi.store.premodel_mark`, in the index
list start-up reads anyway), each window of the graph (``schema/premodel_values_window``) is
read with its statements, and for every node each value no statement gives (by value, not only on
nodes with no statement) is written as a statement of its owner under each source in its
``sources`` not scoped to another agency that no statement names (each said them all, the rule before the model;
:func:`adopting_sources`), or under :func:`unsourced` where it has none; at the node's level
and kept there (it does not follow the node: a value merged in before the model may be another
agency's, attack round 4, H5). Then the mark
(``schema/mark_premodel_values_adopted``). Idempotent: a value adopted is given by a statement, so
a start killed part-way adopts the rest again. After the mark every value has a statement (every
write since the model states what it writes), so no load adopts anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.blind_values import source_agency
from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import BOOKKEEPING, DERIVED
from graphapi.ingest.statement_values import derive_values
from graphapi.ingest.statements import Statement, asserted_entries, asserted_properties
from graphapi.ingest.write_rules import _specific, reference_node
from graphapi.ontology import Model, load_model
from graphapi.store.base import GraphStore

log = logging.getLogger(__name__)

#: The first cursor of each dialect's window (as :data:`graphapi.store.audience_repair.FIRST`).
FIRST = {"falkordb": 0, "neo4j": ""}
#: How many windows between two progress lines (at 1000 a window, 100,000 nodes: about a minute
#: on FalkorDB, docs/provenance.md).
PROGRESS_WINDOWS = 100
#: The source name of the statement adopting a node's values that had no ``sources``.
UNSOURCED = "unsourced"


def unsourced(owner: str) -> str:
    """The source a node's values are adopted under where it named none (``sources`` null or
    empty: a-106, 2): its owner's alone, scoped as an agency's load is (``<name>@<owner>``), so no
    other agency's DEL withdraws it and the owner's load of that source can."""
    return f"{UNSOURCED}@{owner}"


async def repair_premodel_values(store: GraphStore, batch: int = 1000) -> int:
    """Adopt, as statements, every node's values no statement gives, ``batch`` entities (internal
    ids on FalkorDB) a window; returns how many statements it wrote. The caller makes the mark once
    this returns (the store's schema call)."""
    model, written, after, windows = load_model(), 0, FIRST[store.dialect], 0
    while after is not None:
        if windows and not windows % PROGRESS_WINDOWS:  # a big graph's first start takes long: say how far
            log.info("adopting values written before the statement model: %d windows of %d read, %d statements "
                     "written", windows, batch, written)
        windows += 1
        (row,) = await store.read("schema/premodel_values_window", {"after": after, "limit": batch})
        rows: dict[str, dict[str, Any]] = {}
        for node in row["nodes"] or ():
            if node["id"] is None:
                continue  # an empty window's
            for stmt in unstated(model, node["id"], node["labels"] or [], node["props"] or {},
                                 [Statement.from_props(p) for p in node["said"] or ()]):
                rows[stmt.id] = stmt.row()
        if rows:  # one write, one transaction: a window holds whole nodes, never a node's part (a-109, 2)
            await store.write("provenance/write_statements", {"rows": list(rows.values())})
        written, after = written + len(rows), row["next"]
    if written:
        log.warning("%d statements adopted values that nodes held with no statement (written before the "
                    "statement model)", written)
    return written


def unstated(model: Model, nid: str, labels: Iterable[str], props: Mapping[str, Any],
             said: list[Statement]) -> list[Statement]:
    """The statements adopting node ``nid``'s values (``props``) that none of its statements
    ``said`` gives, nor what those give once merged (a second name in ``alias``): one per source
    :func:`adopting_sources` gives, its owner's, at its level; where a statement of
    that key is stored, it with the values added. None for a placeholder or a gazetteer's public
    node (an agency's record only refers to it)."""
    label = _specific(model, list(labels))
    if label is None or props.get("unresolved") or reference_node(nid, props):
        return []
    lb = model.label(label)
    # a statement this repair wrote gives nothing here: a start cut between a node's statements
    # left one, and the sources it missed are adopted still (attack round a-109, 2)
    owner = str(props.get("owner") or "")
    stated = [s for s in said if not adopted(s, owner)]
    given = {key for s in stated for key in s.entries}
    if all(key in given for key in asserted_entries(asserted_properties(lb), props)):
        return []  # every value said as it stands (most nodes of a store run since the model): no derivation
    derived = {*derived_properties(lb, props, nid), *DERIVED, *BOOKKEEPING}  # not said
    names = [n for n in asserted_properties(lb) if n not in derived]
    if stated:
        given.update(asserted_entries(names, derive_values(lb, nid, props, stated)))
    if "alias" in lb.properties:  # a stated name is an alias whichever name the merge kept first: the
        # derivation's order is not the write's (a-109, 4: a victim-blind guess held as an alias)
        given.update(("alias", text) for prop, text in list(given) if prop == "name")
    values = [key for key in asserted_entries(names, props) if key not in given]
    if not values:
        return []
    first, last = str(props.get("firstSeen") or ""), str(props.get("lastSeen") or "")
    tlp, shared = str(props.get("tlp") or ""), tuple(props.get("sharedWith") or ())
    stored = {s.id: s for s in said}
    out = []
    for source in adopting_sources(owner, props.get("sources") or (), stated):
        stmt = Statement(nid, owner, str(source), tlp, shared, {}, follows=False)
        stmt = stored.get(stmt.id, stmt)  # a statement of that key stored: it says these too
        lacking = [key for key in values if key not in stmt.entries]
        for key in lacking:
            stmt.assert_value(key[0], key[1], "", first, last)
        if lacking:  # (per source: one adopted before a cut is not written again)
            out.append(stmt)
    return out


def adopted(stmt: Statement, owner: str) -> bool:
    """Whether ``stmt`` is one this repair wrote: the owner's, kept at its level, every value
    with no record (a load's values each carry their record's id)."""
    return (stmt.owner == owner and not stmt.follows and bool(stmt.entries)
            and all(not rid for rid, *_ in stmt.entries.values()))


def adopting_sources(owner: str, sources: Iterable[str], said: list[Statement]) -> list[str]:
    """The sources a node's unstated values are adopted under: those of its ``sources`` not scoped
    to another agency (``<name>@<agency>``, ``graphql:<agency>``) that no statement names (a source
    stated since the model said what its statements hold: TH-DSI's merged in after the model did
    not say KH-NP's old birthPlace); else those the owner's statements name (its reload since the
    model left out an old value); else the plain names only other agencies' statements name (a
    plain name is anyone's: another agency's ``feed`` put KH-NP's values from its own ``feed``
    under ``unsourced@KH-NP``, out of reach of KH-NP's DEL and read by the other agency, attack
    round a-109, 5); none of those, :func:`unsourced`. A name only statements the owner may not
    see name is no more the owner's than one its readers see, whichever way that goes."""
    def named(x: str, names: set[str]) -> bool:
        return any(x == n or x.startswith(n + ":") for n in names)
    def foreign(x: str) -> bool:  # scoped to an agency (source_agency's forms), another one
        scoped = x.startswith("graphql:") or "@" in x.split(":", 1)[0]
        return scoped and source_agency(x) != owner
    sources = [x for x in dict.fromkeys(str(x) for x in sources) if not foreign(x)]
    own = {s.source for s in said if s.owner == owner}
    free = [x for x in sources if not named(x, {s.source for s in said})]
    # (all named and none by the owner: each a plain name another agency's statement names too)
    return free or [x for x in sources if named(x, own)] or sources or [unsourced(owner)]
