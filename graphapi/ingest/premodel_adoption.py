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
read with its statements, and for every node each value no statement the owner sees gives (its own
and those feeding the node's fields, never one kept apart on it: attack round a-112, 1 and 3; by
value, not only on nodes with no statement) is written as a statement of its owner under each
source in its ``sources`` not scoped to another agency that no such statement names (each said them
all, the rule before the model; :func:`adopting_sources`), or under :func:`unsourced` where it has
none (where that leaves the owner no statement on its own node, its required single values all
the same: a-114, 1 and 2; a-117, 1), in writes of whole nodes bounded by their values (a-112, 2; one node over the bound
over several writes, one too big to read skipped: a-114, 3; a read timed out narrowed, hidden
statements never read: a-117, 2 and 3); at the node's level
and kept there (it does not follow the node: a value merged in before the model may be another
agency's, attack round 4, H5). Then the mark
(``schema/mark_premodel_values_adopted``). Idempotent: a value adopted is given by a statement, so
a start killed part-way adopts the rest again. After the mark every value has a statement (every
write since the model states what it writes), so no load adopts anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphapi.ingest.blind_values import source_agency
from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import BOOKKEEPING, DERIVED
from graphapi.ingest.statement_values import derive_values, usable_statements
from graphapi.ingest.statements import Statement, asserted_entries, asserted_properties
from graphapi.ingest.write_rules import _specific, reference_node
from graphapi.ontology import Model, load_model, required_properties
from graphapi.ontology.tlp import item_audience
from graphapi.store.base import GraphStore
from graphapi.store.errors import StoreTimeout, StoreUnavailable

log = logging.getLogger(__name__)

#: The first cursor of each dialect's window (as :data:`graphapi.store.audience_repair.FIRST`).
FIRST = {"falkordb": 0, "neo4j": ""}
#: How many windows between two progress lines (at 1000 a window, 100,000 nodes: about a minute
#: on FalkorDB, docs/provenance.md).
PROGRESS_WINDOWS = 100
#: The statement values (a statement's property-value pairs) one write of adopted statements holds
#: at most, whole nodes (about 1.5 s on FalkorDB at 11 values a statement; a-112, 2).
WRITE_VALUES = 50_000
#: The statements a window read may return before the next window spans fewer nodes (100,000
#: statements of 10 values, 1000 nodes of 100 sources, took 31 s: the statement timeout).
READ_STATEMENTS = 10_000
#: The span of the first window, widened to ``batch`` where its nodes read few statements.
FIRST_WINDOW = 100
#: The source name of the statement adopting a node's values that had no ``sources``.
UNSOURCED = "unsourced"


def unsourced(owner: str) -> str:
    """The source a node's values are adopted under where it named none (``sources`` null or
    empty: a-106, 2): its owner's alone, scoped as an agency's load is (``<name>@<owner>``), so no
    other agency's DEL withdraws it and the owner's load of that source can."""
    return f"{UNSOURCED}@{owner}"


async def repair_premodel_values(store: GraphStore, batch: int = 1000) -> int:
    """Adopt, as statements, every node's values no statement gives, at most ``batch`` entities
    (internal ids on FalkorDB) a window; returns how many statements it wrote. The caller makes
    the mark once this returns (the store's schema call).

    A window is read with every statement of its nodes and written whole nodes at a time, so both
    are bounded by what its nodes hold, not only by their count: one write of a window of nodes
    with many sources (1000 x 100 sources x 10 aliases, 100,000 rows) passed Neo4j's transaction
    memory or the statement timeout, and every start then failed at the same window (attack round
    a-112, 2). A write holds whole nodes up to :data:`WRITE_VALUES` values (one node over it is
    written over several, and logged: a-114, 3); the next window spans fewer nodes where this one read more than
    :data:`READ_STATEMENTS` statements (wider, up to ``batch``, after one of fewer; the first spans
    :data:`FIRST_WINDOW`), and half as many from a read that failed on (timed out, or out of memory),
    down to one node, read again once, then skipped (:func:`skip_node`) where that fails too, the
    windows after it spanning as the first."""
    model, written, after, windows = load_model(), 0, FIRST[store.dialect], 0
    limit = cap = min(batch, FIRST_WINDOW)  # (a node's statements are unknown before its first window is read)
    retried = False
    while after is not None:
        if windows and not windows % PROGRESS_WINDOWS:  # a big graph's first start takes long: say how far
            log.info("adopting values written before the statement model: %d windows of %d read, %d statements "
                     "written", windows, batch, written)
        try:
            (row,) = await store.read("schema/premodel_values_window", {"after": after, "limit": limit})
        # a window too big to read in time or memory: half of it, until one node. A read past the
        # statement timeout raises StoreTimeout, not StoreUnavailable: the start failed at it, every
        # start (attack round a-117, 3)
        except (StoreUnavailable, StoreTimeout) as failed:
            if limit > 1:
                limit = cap = limit // 2  # (and no window wider until past the node that failed)
                continue
            if isinstance(failed, StoreUnavailable) and not retried:
                retried = True  # a lost connection is not one node too big: read again once (a-117, 2)
                continue
            # one node's statements too many to read: skipped, so the start completes (a store down
            # fails this read too, and the start); the windows after it span as the first did, not
            # one node each for the rest of the graph (attack round a-117, 2)
            after, retried = await skip_node(store, after), False
            limit = cap = min(batch, FIRST_WINDOW)
            continue
        retried = False
        windows += 1
        nodes = [n for n in row["nodes"] or () if n["id"] is not None]  # (an empty window's is null)
        said = sum(len(n["said"] or ()) for n in nodes)
        for rows in node_writes(model, nodes):
            await store.write("provenance/write_statements", {"rows": rows})
            written += len(rows)
        after, limit = row["next"], max(1, min(cap, limit * READ_STATEMENTS // max(said, 1)))
    if written:
        log.warning("%d statements adopted values that nodes held with no statement (written before the "
                    "statement model)", written)
    return written


async def skip_node(store: GraphStore, after: Any) -> Any:
    """Step past the one node a window from ``after`` spans, whose statements failed to read even
    alone, and log it (WARNING): its old values stay unadopted, and the start completes (one node
    failing every start blocked them all: attack round a-114, 3). Returns the next cursor."""
    (row,) = await store.read("schema/premodel_window_skip", {"after": after})
    if row["id"] is not None:
        log.warning("node %s: its statements failed to read even alone: skipped, the values it holds "
                    "that no statement gives are not adopted (a reload of its sources states them)", row["id"])
    return row["next"]


def node_writes(model: Model, nodes: list[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The statement rows adopting ``nodes``' unstated values, a list per write: whole nodes, each
    write flushed once it holds :data:`WRITE_VALUES` values; a node holding more is written over
    several writes of whole statements, and logged (a start cut between a node's statements adopts
    the rest per source when run again: a-109, 2)."""
    rows: dict[str, dict[str, Any]] = {}
    values = 0
    for node in nodes:
        adopting = unstated(model, node["id"], node["labels"] or [], node["props"] or {},
                            [Statement.from_props(p) for p in node["said"] or ()])
        size = sum(len(stmt.entries) for stmt in adopting)
        if rows and values + size > WRITE_VALUES:
            yield list(rows.values())
            rows, values = {}, 0
        if size <= WRITE_VALUES:
            rows.update((stmt.id, stmt.row()) for stmt in adopting)
            values += size
            continue
        # one node over a write: its statements over several writes, whole statements each (one
        # write of a node of 100,000 sources passed Neo4j's transaction memory, and every start
        # failed there: attack round a-114, 3); a start cut between them adopts the rest per source
        log.warning("node %s: %d statements adopt %d values, over the %d a write holds: written over "
                    "several writes", node["id"], len(adopting), size, WRITE_VALUES)
        for stmt in adopting:
            if rows and values + len(stmt.entries) > WRITE_VALUES:
                yield list(rows.values())
                rows, values = {}, 0
            rows[stmt.id] = stmt.row()
            values += len(stmt.entries)
    if rows:
        yield list(rows.values())


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
    # a value is given by the owner's statements and those that feed the node's fields (seen at
    # least as widely as the node, so by its owner too): one kept apart on it (another agency's
    # RED record) put no value in its fields, and its same value stopped the owner's being adopted,
    # the owner's value then erased at its DEL (attack round a-112, 3: the owner learnt of it)
    feeding = {id(s) for s in usable_statements(stated, item_audience(props))}
    giving = [s for s in stated if s.owner == owner or id(s) in feeding]
    given = {key for s in giving for key in s.entries}
    holds = any(s.owner == owner for s in stated)  # (its own statement, not one this repair wrote)
    if holds and all(key in given for key in asserted_entries(asserted_properties(lb), props)):
        return []  # every value said as it stands (most nodes of a store run since the model): no derivation
    derived = {*derived_properties(lb, props, nid), *DERIVED, *BOOKKEEPING}  # not said
    names = [n for n in asserted_properties(lb) if n not in derived]
    if giving:
        given.update(asserted_entries(names, derive_values(lb, nid, props, giving)))
    if "alias" in lb.properties:  # a stated name is an alias whichever name the merge kept first: the
        # derivation's order is not the write's (a-109, 4: a victim-blind guess held as an alias)
        given.update(("alias", text) for prop, text in list(given) if prop == "name")
    values = [key for key in asserted_entries(names, props) if key not in given]
    if not values and not holds:
        # the owner would hold no statement on its own node, every value another agency's visible
        # statement states too: that agency's DEL then left the node to a third agency's hidden RED
        # statement (its node, gone from the owner's view) or held it as a placeholder (attack
        # round a-114, 1 and 2). Its required single values are adopted anyway (two statements of
        # one value, each DEL takes its own): every record must give them, so the owner's record
        # that wrote the node did, and the merge keeps a single value's first. Not the others: one
        # the owner's old node lacked is the other agency's alone, and it outlived that agency's
        # DEL as the owner's statement (attack round a-117, 1); a multiple one's union likewise.
        required = set(required_properties(lb.properties))
        values = [key for key in asserted_entries(names, props)
                  if key[0] in required and not lb.properties[key[0]].multiple]
    if not values:
        return []
    first, last = str(props.get("firstSeen") or ""), str(props.get("lastSeen") or "")
    tlp, shared = str(props.get("tlp") or ""), tuple(props.get("sharedWith") or ())
    stored = {s.id: s for s in said}
    out = []
    for source in adopting_sources(owner, props.get("sources") or (), giving):
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


def _named(x: str, names: set[str]) -> bool:
    return any(x == n or x.startswith(n + ":") for n in names)


def _foreign(x: str, owner: str) -> bool:
    """Whether source ``x`` is scoped to an agency (source_agency's forms) other than ``owner``."""
    scoped = x.startswith("graphql:") or "@" in x.split(":", 1)[0]
    return scoped and source_agency(x) != owner


def adopting_sources(owner: str, sources: Iterable[str], said: list[Statement]) -> list[str]:
    """The sources a node's unstated values are adopted under: those of its ``sources`` not scoped
    to another agency (``<name>@<agency>``, ``graphql:<agency>``) that no statement of ``said``
    names (a source stated since the model said what its statements hold: TH-DSI's merged in after
    the model did not say KH-NP's old birthPlace); else those the owner's statements name (its
    reload since the model left out an old value); else the plain names only other agencies'
    statements name (a plain name is anyone's: another agency's ``feed`` put KH-NP's values from its
    own ``feed`` under ``unsourced@KH-NP``, out of reach of KH-NP's DEL and read by the other agency,
    attack round a-109, 5); none of those, :func:`unsourced`. ``said`` is what the owner sees: its
    own statements and those that feed the node's fields; one kept apart on the node (another
    agency's RED record under a plain name of the owner's) made the owner's old values skip that
    source, so the owner's DEL of its other source took them, and told it the hidden statement
    was there (attack round a-112, 1)."""
    sources = [x for x in dict.fromkeys(str(x) for x in sources) if not _foreign(x, owner)]
    own = {s.source for s in said if s.owner == owner}
    free = [x for x in sources if not _named(x, {s.source for s in said})]
    # (all named and none by the owner: each a plain name another agency's statement names too)
    return free or [x for x in sources if _named(x, own)] or sources or [unsourced(owner)]
