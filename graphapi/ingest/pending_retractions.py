"""A DEL's (or a replace's) batch killed half-way is finished by the next writer, not by its rerun.

:func:`graphapi.ingest.retraction.apply_retractions` deletes a source's statements about a batch of
items, then rebuilds the items' values and withdraws the source from their ``sources``. A load
killed in between (``kill -9`` of its process, a lost lease) left values, aliases and the source
on the items that no statement backed any more, shown to every reader of them, until the same
agency ran the same replace again (attack round 23, C5: 11,970 such values on another agency's
nodes). So the statement that deletes a batch's statements also writes a ``PendingRetraction``
node (``cypher/provenance/retract_statements``: the batch, and the items whose statements it
deleted), in the same query, and the batch's last write deletes it. A mark left behind is a batch
that did not finish; :func:`finish_pending` runs it again, under the same mark: its statements'
delete finds none left (or any the killed run had not reached), and its rebuild and withdrawal
are those the killed run did not make, with the items the killed run took statements from as its
own (so a node left with no statement and no other source goes, as it would have). A whole-source
replace also marks the items whose statements it then deletes or trims
(``cypher/ingest/mark_rebuild``, a mark with no source): finishing one rebuilds their values.
A placeholder's release to the narrower record kept apart on it is marked by its first write
(``cypher/ingest/release_placeholders``, ``release`` true): finishing it does the rest
(:func:`graphapi.ingest.placeholder_release.finish_release`).
What a batch re-owns goes on its mark by the same write (``cypher/ingest/relevel_nodes``): its
finish, finding the nodes re-owned already, still does what the killed run did after that.
A DEL's mark (and a MOD's, of her stale value links) also names the phones, documents and
accounts her record made of its values (``made``: :func:`graphapi.ingest.retraction.values_made`,
read while her links stood), which finishing it withdraws: killed after her node went, nothing
else finds them.

Who finishes: every writer when it takes the store's write lease after another held it (a load,
``ingest``: :class:`graphapi.ingest.writer.Writer`), so none writes over a half-retracted item;
an API worker whose load job's process ended without a result; and each API worker at start
(:func:`finish_pending_now`). All idempotent: a mark finished twice finds nothing the second time.
A mark whose finish fails is *stuck*: it counts the attempt and keeps the error
(``cypher/ingest/note_pending_failure``) and the others are still finished, oldest first (a mark's
``seq``: one past every mark standing when it was made), but not one made after a stuck mark that
would have stopped the load that made it (:func:`waits_on`: finished out of order over it). A load
stops with ``PendingRetractionUnfinished`` only when its write would be made wrong by the mark's
finish, later (:meth:`StuckMark.blocks`): the mark's owner's load of the mark's source (the finish
deletes that source's statements: it would take back what the load wrote, attack round 39a, 1;
another agency's load of a source of the same name only when it names the mark's items: attack
round 44a, 3), another agency's load withdrawing its statements from a retraction batch's records
(attack round 45a, 3), a load by the mark's owner naming any of its items (the owner's
statements decide the finish's deletes, re-owning and narrowing), any load naming a link the
mark deleted (the finish deletes every statement about it, whoever's), and any load naming an
item of a placeholder's release or a rebuild (their finish relabels, re-owns or narrows from the
record kept apart there, over what another agency wrote since: attack round 43a, 1). Another
agency's load writing to a retraction batch's other items (the record, the phones and documents it
made, its links' ends: hubs every agency shares) goes on: the finish takes only the mark's own
source from them and works the rest out from the statements there then, that load's included, as
though that load had come first (attack round 42b, 2: one stuck DEL of the public feed stopped
every agency whose person shared Anna's phone; 41a, 4: every load of every agency); and so does
that agency's own mark, later, on those items (attack round 43a, 2: it waited for the public
feed's stuck mark).
An operator lists, retries or drops stuck marks (:mod:`graphapi.ingest.pending_admin`).
The statements the killed run deleted are counted by the run that finishes them
(``statements_retracted``, with the items it deleted or retracted) when that run is a load of the
same agency (its rerun, typically); any other finisher logs the counts.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.pending_widenings import WIDENED_ID, recount_left
from graphapi.ingest.placeholder_release import finish_release
from graphapi.ingest.referred_holds import hold_referred
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.relevel import narrow_to_owner
from graphapi.ingest.retraction import Batch, Retractions, retract_node_batch, retract_relationship_batch
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.write_lease import WriteLease
from graphapi.ontology import Model, load_model
from graphapi.security.timeutil import utc_now
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore
from graphapi.store.errors import PendingRetractionUnfinished, WriteLeaseLost

log = logging.getLogger(__name__)

#: The mark's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
PENDING_LABEL = "PendingRetraction"
PENDING_PROPERTIES = ("id", "type", "source", "owner", "scoped", "ids", "said", "release", "made", "gone", "links",
                      "ends", "unnamed", "reowned", "away", "unseen", "referred", "referrer",
                      "seq", "attempts", "last_error", "first_failed", "last_failed")


@dataclass(frozen=True)
class StuckMark:
    """A mark this writer could not finish (or left for one that names the same items): a load
    whose write its finish, later, would make wrong stops (:meth:`blocks`)."""

    mark: str
    source: str
    owner: str
    items: frozenset[str]  # node and relationship ids it names: its batch, what it made and deleted
    error: str
    cause: BaseException | None = field(default=None, compare=False)  # the finish's own error, if it failed
    #: the links it deleted with its nodes: the finish deletes every statement about them, whoever's
    taken: frozenset[str] = frozenset()
    #: a source's retraction batch (a DEL's, a replace's): the one kind whose finish is proven to
    #: leave another agency's write to its items as the two loads in turn leave it
    retraction: bool = False
    #: a retraction batch's own items (the records it withdraws): another agency withdrawing its
    #: own statements from them stops (attack round 45a, 3)
    batch: frozenset[str] = frozenset()

    def blocks(self, source: str, owner: str, ids: Collection[str], retracting: Collection[str] = ()) -> bool:
        """Whether a load of ``source`` by ``owner`` writing ``ids`` would be undone or made wrong
        by this mark's finish: its owner's load of its source, whatever it names (that agency's
        replace of it retracts items it does not name); its owner's naming any of its items;
        another agency's load under the same source name naming any of its items (the finish
        withdraws that source name there); anyone's naming a link it took. A source is an agency's:
        another agency's load of its own file of the same name, naming none of the items, goes on
        (attack round 44a, 3: the public feed's stuck DEL of 'opensanctions' stopped TH-DSI's own
        'opensanctions' load). Another agency's write to a retraction batch's other items goes on
        (attack round 42b, 2): that finish withdraws only its own source there and rebuilds from
        what stands then. Any other kind (a placeholder's release, a replace's or narrowing's
        rebuild) stops every load naming its items: a release's finish relabels and re-owns the
        node from the record kept apart on it, over whatever another agency wrote there since
        (attack round 43a, 1: LA-POL's GREEN placeholder labelled by KH-NP's RED Person).
        Another agency's load ``retracting`` (withdrawing its statements from: a DEL's records, a
        replace's items) any of a retraction batch's records stops too: not proven to commute
        (attack round 45a, 3: TH-DSI's DEL of its record of the public feed's stuck DEL's p-1 left
        p-1 the public feed's placeholder, its deleted phone published)."""
        named = not self.items.isdisjoint(ids)
        same_source = bool(self.source) and _same_source(self.source, source)
        if owner == self.owner:
            return same_source or named
        if same_source or not self.retraction:
            return named
        return not self.taken.isdisjoint(ids) or not self.batch.isdisjoint(retracting)


def _same_source(a: str, b: str) -> bool:
    # a mark of "ftm" covers "ftm:<dataset>" statements, as retract_statements deletes them
    return a == b or a.startswith(b + ":") or b.startswith(a + ":")


@dataclass
class Finished:
    """What :func:`finish_marks` did: each batch finished, and each mark left stuck."""

    done: list[tuple[Batch, Retractions]] = field(default_factory=list)
    stuck: list[StuckMark] = field(default_factory=list)


def stop_at_stuck_marks(stuck: list[StuckMark], source: str, owner: str, ids: Collection[str],
                        retracting: Collection[str] = ()) -> None:
    """Raise ``PendingRetractionUnfinished`` if a load of ``source`` by ``owner`` naming ``ids``
    (withdrawing its statements from ``retracting``) would be made wrong by a stuck mark's finish
    (:meth:`StuckMark.blocks`); any other load goes on (attack rounds 41a, 4 and 42b, 2)."""
    mark = next((m for m in stuck if m.blocks(source, owner, ids, retracting)), None)
    if mark is not None:
        raise PendingRetractionUnfinished(
            f"a load killed earlier left a retraction half-way (mark {mark.mark}, "
            f"{f'source {mark.source}' if mark.source else 'a rebuild'} of {mark.owner}) "
            f"and finishing it failed ({mark.error.split(':')[0]}): this load would write what it names, "
            "so it stopped before writing; run it again (an operator sees the mark: lintas admin pending)"
        ) from mark.cause


def mark_items(row: Mapping[str, Any]) -> frozenset[str]:
    """The node and relationship ids a mark (a row of ``ingest/pending_retractions``) names."""
    return frozenset(str(i) for key in ("ids", "made", "gone", "links", "ends") for i in row.get(key) or ())


def waits_for(rows: list[Mapping[str, Any]], at: int) -> str | None:
    """The id of the first mark made before ``rows[at]`` (the store's order: by age) whose finish
    conflicts with its own (:func:`waits_on`): finishing ``rows[at]`` first would run it out of
    order over that mark."""
    later = _stuck(rows[at], _batch(rows[at]), "")
    return next((str(r["id"]) for r in rows[:at] if waits_on(_stuck(r, _batch(r), ""), later)), None)


def waits_on(earlier: StuckMark, later: StuckMark) -> bool:
    """Whether ``later`` (a mark made after ``earlier``) waits for it: their finishes conflict
    where ``earlier`` would stop the load that made ``later`` (its source, its owner, a link it
    took, any item of a kind that stops every load), or where either is a kind not proven to
    commute (a release, a rebuild) and they share an item. Two retraction batches of different
    agencies on a shared phone do not (attack round 43a, 2: TH-DSI's own DEL rerun waited for the
    public feed's stuck mark its load had been let past)."""
    if earlier.blocks(later.source, later.owner, later.items, later.batch):
        return True
    return not later.retraction and not earlier.items.isdisjoint(later.items)


def _stuck(row: Mapping[str, Any], batch: Batch, error: str, cause: BaseException | None = None) -> StuckMark:
    return StuckMark(batch.mark, batch.source, batch.owner, mark_items(row), error, cause,
                     frozenset(str(i) for i in row.get("links") or ()),
                     retraction=bool(batch.source) and not row.get("release"),
                     batch=frozenset(batch.ids) if batch.source and not row.get("release") else frozenset())


def _batch(row: Mapping[str, Any]) -> Batch:
    return Batch(str(row["id"]), str(row.get("type") or ""), str(row["source"]), str(row["owner"]),
                 bool(row.get("scoped")), [str(i) for i in row.get("ids") or []],
                 *(tuple(str(i) for i in row.get(key) or []) for key in ("said", "made", "reowned", "away", "unseen")))


async def finish_pending(store: GraphStore, model: Model | None = None,
                         batch_size: int = DEFAULT_BATCH_SIZE) -> list[tuple[Batch, Retractions]]:
    """Finish every retraction batch left pending (the caller holds the write lease); returns
    each finished with what finishing it did (the stuck ones: :func:`finish_marks`)."""
    return (await finish_marks(store, model, batch_size)).done


async def finish_marks(store: GraphStore, model: Model | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                       only: str | None = None) -> Finished:
    """Finish every retraction batch left pending, oldest first (or the mark ``only``; the caller
    holds the write lease), each on its own: one that fails is noted on its mark and left stuck,
    and so is a later one whose finish conflicts with it (:func:`waits_on`). ``only`` waits
    (stuck, not tried) for such a mark made before it, as a writer would (attack round 42b, 4: a
    retry ran it out of order over a stuck DEL's item). A lost lease stops it all (nothing more
    may be written)."""
    rows = await store.read("ingest/pending_retractions", {})
    finished = Finished()
    if only is not None:  # the rest stay pending, so an earlier one it conflicts with is waited for
        at = next((i for i, row in enumerate(rows) if row["id"] == only), None)
        if at is None:
            return finished
        before = waits_for(rows, at)
        if before is not None:
            finished.stuck.append(_stuck(rows[at], _batch(rows[at]), f"waits for mark {before}"))
            return finished
        rows = [rows[at]]
    if not rows:
        return finished
    model = model or load_model()
    for row in rows:
        batch = _batch(row)
        later = _stuck(row, batch, "")
        waits = next((s for s in finished.stuck if waits_on(s, later)), None)
        if waits is not None:  # finished before the stuck one, it would run out of order over it
            finished.stuck.append(_stuck(row, batch, f"waits for stuck mark {waits.mark}"))
            continue
        try:
            finished.done.append((batch, await _finish(store, model, row, batch, batch_size)))
        except WriteLeaseLost:
            raise
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:500]}"
            log.exception("finishing pending mark %s (source %s of %s) failed; it stays, stuck",
                          batch.mark, batch.source, batch.owner)
            await _note_failure(store, batch.mark, error)
            finished.stuck.append(_stuck(row, batch, error, exc))
    return finished


async def _finish(store: GraphStore, model: Model, row: Mapping[str, Any], batch: Batch,
                  batch_size: int) -> Retractions:
    out = Retractions()
    if row.get("release"):  # a placeholder's release, narrowed, not finished
        await finish_release(store, model, batch.ids, batch_size)
        await store.write("ingest/clear_pending_retraction", {"id": batch.mark})
    elif not batch.source:  # a replace's rebuild only (ingest/mark_rebuild)
        await _rebuild(store, model, batch, batch_size, out, [str(i) for i in row.get("referred") or []],
                       str(row.get("referrer") or ""))
    elif batch.type:
        await retract_relationship_batch(store, model, out, batch, batch_size)
    else:
        await retract_node_batch(store, model, out, batch, batch_size)
    log.warning("finished a retraction a killed load left half-way: source %s of %s, %d items: %s",
                batch.source, batch.owner, len(batch.ids), out)
    return out


async def _note_failure(store: GraphStore, mark: str, error: str) -> None:
    """Count the failed attempt on the mark (best effort: a store that is down fails the load anyway)."""
    try:
        await store.write("ingest/note_pending_failure", {"id": mark, "error": error, "at": utc_now("seconds")})
    except WriteLeaseLost:
        raise
    except Exception:
        log.exception("could not note the failed finish on pending mark %s", mark)


async def _rebuild(store: GraphStore, model: Model, batch: Batch, batch_size: int, out: Retractions,
                   referred: list[str] = (), referrer: str = "") -> None:
    """Rebuild the values of a replace's items from their statements, then unmark them (those in
    ``said`` lost their last statement to it: rebuilt even with none left); those it now only
    ``referred`` to held or re-owned as the replace does (:func:`graphapi.ingest.referred_holds.hold_referred`)."""
    if batch.type:
        await rebuild_relationship_values(store, model, {batch.type: batch.ids}, batch_size, emptied=batch.said)
    else:
        await rebuild_values(store, model, batch.ids, batch_size, emptied=batch.said)
    # and narrowed to the owner's narrower records, as the replace would have (attack round 35, 0)
    await narrow_to_owner(store, model, batch.type or "", batch.ids, batch_size)
    if referred and not batch.type:
        await hold_referred(store, model, out, referred, referrer, batch_size, emptied=set(batch.said) & set(referred),
                            mark=batch.mark, owner=batch.owner, reowned_before=batch.reowned)
    await store.write("ingest/clear_pending_retraction", {"id": batch.mark})


async def finish_pending_now(store: GraphStore) -> int:
    """Take the write lease and finish what is pending (an API worker's start, a load job whose
    process died), the widenings a killed writer left unchecked too (recounted by the policy:
    :mod:`graphapi.ingest.pending_widenings`); returns how many batches were. Errors are logged,
    not raised: nothing is written after it, and the next writer finishes them before it writes
    (or stops)."""
    try:
        if not (await store.read("ingest/pending_retractions", {})
                or await store.read("ingest/pending_recounts", {"id": WIDENED_ID})):
            return 0
        lease = WriteLease(store, what="finishing a killed load's retraction")
        async with lease.held():
            done = len(await finish_pending(lease.fenced(store)))
            policy = load_exclusions()
            await recount_left(lease.fenced(store), policy.linking_relationships, policy.correlation_limit)
            return done
    except Exception:
        log.exception("finishing pending retractions failed; the next load finishes them")
        return 0
