"""Plan the full-text search on Neo4j before the first analyst waits for it.

Neo4j plans ``search/fulltext`` (visibility, the victim rules and the relevance, in one long
statement) in 3-15 s on a busy 2-core machine, and keeps a plan per statement *and parameter
types*: a search with an agency or without, with a label filter or without, is each planned
anew (measured on 5.26: the first search of each such shape took 4-14 s, later ones well under a
second). ``EXPLAIN`` does not fill that cache (it has no parameters), so the API runs one real
search of each common shape in the background at start-up (``graphapi.app``); their hits are
discarded and a failure is only logged.
"""

from __future__ import annotations

import logging

from graphapi.investigate.search import search
from graphapi.security import Principal
from graphapi.store import GraphStore, StoreError

log = logging.getLogger("graphapi.investigate.search_warmup")

#: The shapes planned: an agency's analyst and an operator without one, each without and with a
#: label filter (what the search box and the link chart send).
SHAPES = [
    (Principal(subject="search-warm-up", agency=agency, roles=frozenset({"analyst"})), labels)
    for agency in ("warm-up", None)
    for labels in (None, ["Person"])
]


async def warm_search(store: GraphStore) -> int:
    """Run one search of each shape in :data:`SHAPES`; returns how many ran (the others failed
    and were logged: a warm-up never stops the API)."""
    done = 0
    for principal, labels in SHAPES:
        try:
            await search(store, principal, "lintas", labels=labels, first=1)
            done += 1
        except StoreError as exc:
            log.warning("search warm-up failed: %s", exc)
    return done
