"""The embedded store's connection to its server, telling a command that never reached the server
from one whose reply was lost.

``EmbeddedStore`` sends a statement again after a connection error only when the server never had
it (:class:`CommandNotSent`): a write whose reply was lost may have run, and run twice answers what
its second run found (attack round 37; docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

import redis
from redis.asyncio import UnixDomainSocketConnection
from redis.connection import UnixDomainSocketConnection as BlockingUnixDomainSocketConnection


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
    thread of :mod:`graphapi.store.bulk`)."""

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise CommandNotSent(str(exc)) from exc
