"""A loopback TCP relay a test can cut and put back on the same port: to a client, the server
behind it went away (every connection reset, the port refused) and came back, while the server
itself runs on, so no second JVM has to start."""

from __future__ import annotations

import asyncio
import contextlib


class TcpCut:
    """Relays 127.0.0.1:``port`` to ``host``:``target_port`` while up."""

    def __init__(self, host: str, target_port: int) -> None:
        self.host, self.target_port = host, target_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def up(self) -> TcpCut:
        """Listen (on the port of the last time, if any) and relay."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def down(self) -> None:
        """Stop listening and reset every open connection, as a killed server does."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._open):
                writer.transport.abort()
            self._open.clear()
            await self._server.wait_closed()
            self._server = None

    async def _relay(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            client_out.transport.abort()
            return
        self._open |= {client_out, server_out}
        await asyncio.gather(self._pipe(client_in, server_out), self._pipe(server_in, client_out))

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        sink.transport.abort()
        self._open.discard(sink)
