"""The nodes a whole-source replace now only refers to, once its statements about them went:
held as their links' placeholder (none left) or re-owned at the widest statement left
(:func:`graphapi.ingest.relevel.relevel`), then the replacing source withdrawn from those re-owned.

The replace (:mod:`graphapi.ingest.replacement`) and the finish of its rebuild mark
(:mod:`graphapi.ingest.pending_retractions`) do the same here. The mark names these nodes
(``referred``) and the source (``referrer``), and what the replace re-owns goes on it by the same
write (``cypher/ingest/relevel_nodes``): killed after deleting the statements, a rerun no longer
finds the nodes stated and held nothing (attack round a-103, 2: v-1 ended KH-NP's with no name and
not a placeholder); killed after the re-own, it re-owned nothing and withdrew nothing (a-103, 3,
a-98, 4: p-1 ended with VN-MPS's source, another owner than the uninterrupted run's).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from graphapi.ingest import pending_widenings
from graphapi.ingest.relevel import follow_again, relevel
from graphapi.ingest.retraction import Retractions
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ontology import Model
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


async def hold_referred(store: GraphStore, model: Model, out: Retractions, ids: list[str], source: str,
                        batch_size: int = DEFAULT_BATCH_SIZE, *, emptied: Collection[str] = (), mark: str = "",
                        owner: str = "", reowned_before: Collection[str] = ()) -> None:
    """Hold or re-own nodes ``ids`` ``source`` only refers to now (its statements about them gone;
    ``emptied``: those it took the last statement from, held with none left whatever source
    remains, attack round a-102, 2), re-owns kept on ``mark`` (of ``owner``); rebuild those
    re-owned (and ``reowned_before``: a killed run's, from the mark) and withdraw ``source`` from
    them. Who gains sight of a re-owned node is kept on ``out`` and the identifiers it links to
    noted before relevel's write, for the breaker (attack round a-95, 1)."""
    async def note(gains: dict[str, dict[str, Any]]) -> None:
        out.gains.update(gains)
        out.widened.update(await pending_widenings.note(store, await pending_widenings.widened_identifiers(
            store, gains=gains)))
    reowned = await relevel(store, ids, None, batch_size, retracted=set(ids), withdrawn=source,
                            emptied=set(emptied), mark=mark, by=owner, before=note)
    out.reowned_nodes.update({i: seen for i, (_, seen) in reowned.items()})
    earlier = [i for i in reowned_before if i not in reowned]
    if earlier:  # the statement they took their level from follows them, as relevel writes it
        await follow_again(store, earlier, None, batch_size)
        out.reowned_nodes.update(dict.fromkeys(earlier))
    done = sorted({*reowned, *earlier})
    if done:
        await rebuild_values(store, model, done, batch_size)
        await withdraw_from_stated(store, done, source, batch_size)


async def withdraw_from_stated(store: GraphStore, ids: list[str], source: str, batch_size: int) -> None:
    """Withdraw ``source`` from the nodes of ``ids`` (re-owned by the replace) that other
    statements hold and none of them from ``source``: it no longer states them, only refers to
    them, and a fresh load of its new version would not have named them in their ``sources``
    either. Left there, it held their values as if written before the statement model: VN-MPS's
    DEL of its record of a p-1 the replace re-owned to it left p-1 VN-MPS's, named, with no
    statement (attack round a-95, 4). Not where a statement left carries it: a plain source
    another agency also loads from ("shared") still states that agency's node (attack round a-98, 5)."""
    if not source:
        return
    for i in range(0, len(ids), batch_size):
        await store.write("ingest/withdraw_unstated_source", {"ids": ids[i:i + batch_size], "source": source})
