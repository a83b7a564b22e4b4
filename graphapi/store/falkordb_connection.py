"""The embedded store's connection to its server, telling a command that never reached the server
from one whose reply was lost.

``EmbeddedStore`` sends a statement again after a connection error only when the server never had
it (:class:`CommandNotSent`): a write whose reply was lost may have run, and run twice answers what
its second run found (attack round 37; docs/architecture.md).
"""

from __future__ import annotations

import contextlib
from typing import Any

import redis
from redis.asyncio import UnixDomainSocketConnection
from redis.connection import UnixDomainSocketConnection as BlockingUnixDomainSocketConnection

from graphapi.store.collection_pause import collection_paused, kept


class CommandNotSent(redis.ConnectionError):
    """The connection failed before the server had the whole command (connecting, or writing it
    to the socket): the command did not run, so sending it again is safe, write or not."""


class SentOrNotConnection(UnixDomainSocketConnection):
    """The pool's connection, telling a command that never reached the server
    (:class:`CommandNotSent`) from one whose reply was lost (any other connection error: it may
    have run)."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            await super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise CommandNotSent(str(exc)) from exc


class BlockingSentOrNotConnection(BlockingUnixDomainSocketConnection):
    """:class:`SentOrNotConnection` for the blocking client a bulk read is sent through (in a
    thread of :mod:`graphapi.store.bulk`); its reply is parsed with the cyclic collector paused
    (:mod:`graphapi.store.collection_pause`), once it begins to arrive: never while the server
    runs the statement, nor hung (attack round a-93, 1). The replies of its handshake (HELLO,
    CLIENT SETINFO: a connection made for the read, after a drop, after a restart) are read
    unpaused: a pause begun there was kept through the server's whole run of the statement, and
    past the bound the real parse ran with the collector on (attack round a-97, 1)."""

    _connecting = False

    def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        self._connecting = True
        try:
            super().connect_check_health(*args, **kwargs)
        finally:
            self._connecting = False

    def read_response(self, disable_decoding: bool = False, **kwargs: Any) -> Any:
        if self._connecting:  # a handshake's reply: no statement's
            return super().read_response(disable_decoding, **kwargs)
        if "timeout" not in kwargs:
            with contextlib.suppress(redis.ConnectionError):  # the read below says how it failed
                if not self.can_read(timeout=self.socket_timeout):
                    kwargs["timeout"] = 0  # its socket timeout waited out: the read's own TimeoutError
        pause = collection_paused()
        pause.__enter__()
        try:
            response = super().read_response(disable_decoding, **kwargs)
        except BaseException:
            pause.__exit__(None, None, None)  # a retry waits for the server again: not paused
            raise
        if not kept(pause):  # a bulk read's decode keeps it (falkordb._received)
            pause.__exit__(None, None, None)
        return response

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise CommandNotSent(str(exc)) from exc


def bulk_client(socket: str, max_connections: int, socket_timeout: float) -> redis.Redis:
    """The blocking client bulk reads are sent through, over the server's ``socket``: at most
    ``max_connections`` (one per bulk thread), each made when a read first needs it."""
    return redis.Redis(connection_pool=redis.BlockingConnectionPool(
        connection_class=BlockingSentOrNotConnection, path=socket, max_connections=max_connections,
        timeout=None, decode_responses=True, socket_timeout=socket_timeout))
