"""A Neo4j write whose commit reply was lost is not run again (attack round 37): the driver retries
a managed write transaction only when it surely did not commit, and a connection lost while it
committed is IncompleteCommit, which it never retries; the store says so as StoreUnavailable."""

import pytest
from neo4j.exceptions import IncompleteCommit

from graphapi.store.errors import StoreUnavailable
from graphapi.store.neo4j import Neo4jStore


class _CommitLost:
    """A driver whose write transactions lose their commit reply."""

    def __init__(self) -> None:
        self.calls = 0

    async def execute_query(self, *args, **kwargs):
        self.calls += 1
        raise IncompleteCommit("Failed to read from defunct connection (during commit)")


def test_the_driver_never_retries_a_write_whose_commit_reply_was_lost():
    assert IncompleteCommit("lost").is_retryable() is False


@pytest.mark.asyncio(loop_scope="session")
async def test_a_write_whose_commit_reply_was_lost_is_store_unavailable_sent_once():
    driver = _CommitLost()
    store = Neo4jStore(driver, "neo4j", 1000)  # type: ignore[arg-type]
    with pytest.raises(StoreUnavailable, match="commit was lost"):
        await store.write("admin/clear")
    assert driver.calls == 1
