"""The API plans Neo4j's full-text search at start-up (graphapi/investigate/search_warmup.py):
one real search per common parameter shape, since Neo4j keeps a plan per parameter types."""

from graphapi.investigate.search_warmup import warm_search
from graphapi.store import StoreUnavailable


class RecordingStore:
    dialect = "neo4j"

    def __init__(self, error=None):
        self.reads = []
        self.error = error

    async def read(self, name, params=None, **placeholders):
        if self.error:
            raise self.error
        self.reads.append((name, params["agency"], params["labels"]))
        return [{"total": 0, "hits": []}]  # search/fulltext's one row


async def test_warm_up_searches_once_with_and_without_an_agency_and_a_label_filter():
    store = RecordingStore()
    assert await warm_search(store) == 4
    assert store.reads == [("search/fulltext", "warm-up", None), ("search/fulltext", "warm-up", ["Person"]),
                           ("search/fulltext", None, None), ("search/fulltext", None, ["Person"])]


async def test_a_store_that_fails_the_warm_up_does_not_stop_it():
    assert await warm_search(RecordingStore(error=StoreUnavailable("down"))) == 0
