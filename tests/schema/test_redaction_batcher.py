"""The redaction's per-request batcher survives a waiter that was cancelled (a sibling field
failed the request): the batch still answers the others and its task ends without an error
(attack 3, F4: "Task exception was never retrieved ... InvalidStateError", and the waiters after
the cancelled one were never answered)."""

import asyncio

from graphapi.schema.batching import LevelBatcher


async def test_a_cancelled_waiter_does_not_break_the_batch_for_the_others():
    loaded: list[list[str]] = []

    async def load(keys: list[str]) -> dict[str, bool]:
        loaded.append(keys)
        return dict.fromkeys(keys, True)

    batcher = LevelBatcher(load, default=False)
    cancelled = asyncio.ensure_future(batcher.load("per-a"))
    kept = asyncio.ensure_future(batcher.load("per-b"))
    await asyncio.sleep(0)
    dispatch = batcher._task
    cancelled.cancel()
    # hang guards: before the fix the batch stopped at the cancelled waiter and never answered "per-b"
    assert await asyncio.wait_for(kept, 60) is True
    await asyncio.wait_for(dispatch, 60)
    assert loaded == [["per-a", "per-b"]] and cancelled.cancelled()
    assert await batcher.load("per-a") is True  # asked again: loaded again, not the cancelled future


async def test_keys_all_primed_are_answered_without_a_turn_of_the_loop():
    async def load(keys: list[str]) -> dict[str, bool]:
        raise AssertionError(f"asked the store for {keys}")

    batcher = LevelBatcher(load, default=False)
    batcher.prime("per-a", True)
    batcher.prime("per-b", False)
    asking = batcher.load_many(["per-a", "per-b"])
    try:
        asking.send(None)  # the coroutine's first step: it finishes there, nothing awaited
    except StopIteration as done:
        assert done.value == [True, False] and batcher._task is None
    else:
        asking.close()
        raise AssertionError("load_many waited for the loop with every answer known")
