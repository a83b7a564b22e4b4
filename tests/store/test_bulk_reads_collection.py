"""A bulk read's reply is parsed and decoded in its thread with Python's cyclic collector paused, for
at most MAX_PAUSE_S by a real clock, and never while the server has not answered (attack round
a-88, 5: the collector's passes, set off by hiredis' allocations and walking the whole growing
reply, stalled the event loop 150-530 ms from inside a bulk read's thread; a-93, 1: a pause bounded
only when another read began, or spanning the wait for a hung server, kept the collector off for the
worker for 35 s). Counted in collections and pauses, never in time; collections in the read's own
thread only (the process-wide count failed in the full suite, where other threads collect on their
own). No store: a fake server."""

import contextlib
import gc
import socket
import threading

import pytest

from graphapi.store import collection_pause, falkordb, falkordb_connection
from graphapi.store.collection_pause import collection_paused
from graphapi.store.falkordb_connection import BlockingSentOrNotConnection

#: Rows of the replies below: the collector's threshold passed many times while they are made.
ROWS = 20_000
REPLY = (f"*3\r\n*1\r\n*2\r\n:1\r\n$1\r\nn\r\n*{ROWS}\r\n".encode()
         + b"*1\r\n*2\r\n:3\r\n:7\r\n" * ROWS
         + b"*1\r\n$47\r\nQuery internal execution time: 2.5 milliseconds\r\n")


@pytest.fixture
def server(tmp_path):
    """A one-reply server on a unix socket: takes one command, notes that it is answering, answers
    REPLY (a compact GRAPH.RO_QUERY reply of ROWS rows)."""
    path, answering = str(tmp_path / "s.sock"), []
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)

    def serve() -> None:
        peer, _ = listener.accept()
        with peer:
            got = b""
            while not got.endswith(b"--compact\r\n") and (chunk := peer.recv(65536)):
                if b"GRAPH.RO_QUERY" in chunk:
                    got += chunk
                else:  # the connection's handshake (CLIENT SETINFO ...): one OK a command
                    peer.sendall(b"+OK\r\n" * sum(line.startswith(b"*") for line in chunk.split(b"\r\n")))
            answering.append(True)
            peer.sendall(REPLY)
            peer.recv(1)  # till the client closes

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    connection = BlockingSentOrNotConnection(path=path, socket_timeout=30, protocol=2,  # RESP2: no HELLO
                                             decode_responses=True)  # as the store's bulk client
    connection.connect()  # its handshake done: what follows is the read alone
    yield connection, answering
    connection.disconnect()
    thread.join()
    listener.close()


def _query(connection: BlockingSentOrNotConnection) -> list:
    connection.send_command("GRAPH.RO_QUERY", "g", "MATCH (n) RETURN n", "--compact")
    return connection.read_response()


class _Client:
    """The blocking client a bulk read is sent through, over ``connection``."""

    def __init__(self, connection: BlockingSentOrNotConnection) -> None:
        self.connection = connection

    def execute_command(self, *command: object) -> list:
        return _query(self.connection)


def test_a_bulk_reads_reply_is_parsed_and_decoded_with_no_cyclic_collection(server, monkeypatch):
    connection, _ = server
    # the bound is a real clock (tested below): a loaded machine must not reach it in this read
    monkeypatch.setattr(collection_pause, "MAX_PAUSE_S", 60.0)
    reader, paused, collections = threading.get_ident(), [], []
    real = falkordb_connection.collection_paused

    @contextlib.contextmanager
    def watched():  # marks this thread's parse and decode, cleared before the pause ends
        with real():
            paused.append(True)
            try:
                yield
            finally:
                paused.clear()

    def seen(phase: str, info: dict) -> None:
        # this thread's passes only: the process's other threads (the suite's) collect on their own
        if phase == "start" and paused and threading.get_ident() == reader:
            collections.append(info["generation"])

    monkeypatch.setattr(falkordb_connection, "collection_paused", watched)
    gc.callbacks.append(seen)
    try:
        ran, rows = falkordb._received(_Client(connection), ())
    finally:
        gc.callbacks.remove(seen)
    assert (ran, len(rows)) == ([2.5], ROWS)
    # were about 60, full ones among them, each walking the reply parsed so far while the loop
    # waited for the GIL
    assert collections == []
    assert gc.isenabled()  # on again once decoded


def test_a_bulk_read_pauses_the_collector_only_once_its_server_answers(server, monkeypatch):
    connection, answering = server
    began = []
    real = collection_pause._start_timer

    def start_timer(seconds, then):
        began.append(list(answering))  # whether the server was answering when the pause began
        return real(seconds, then)

    monkeypatch.setattr(collection_pause, "_start_timer", start_timer)
    _query(connection)
    assert began == [[True]]  # paused once, never while the server ran (or hung on) the statement


def test_the_collector_is_on_again_at_the_bound_while_a_read_still_parses(monkeypatch):
    monkeypatch.setattr(collection_pause, "MAX_PAUSE_S", 0.0)
    with collection_paused():
        collection_pause._timer.join()  # the bound's timer has fired: a real clock, not the next read
        assert gc.isenabled()  # was off till this read ended (a hung server: 35 s)
    assert gc.isenabled()


def test_a_read_begun_past_the_bound_leaves_the_collector_on_while_others_run(monkeypatch):
    monkeypatch.setattr(collection_pause, "MAX_PAUSE_S", 0.0)
    with collection_paused():
        collection_pause._timer.join()
        with collection_paused():  # back-to-back reads of several agencies kept it off for good
            assert gc.isenabled()
    with collection_paused():  # every read ended: the next pauses it again
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off_after_a_read():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Answering:
    """A blocking client answering one compact GRAPH.RO_QUERY reply of ``ROWS`` rows."""

    def __init__(self) -> None:
        self.reply = [[[1, "n"]], [[[3, i]] for i in range(ROWS)], ["Query internal execution time: 2.5 milliseconds"]]

    def execute_command(self, *command: object) -> list:
        return self.reply


def test_a_bulk_reads_reply_is_freed_in_its_thread():
    client = _Answering()
    ran, rows = falkordb._received(client, ("GRAPH.RO_QUERY",))
    assert (ran, rows[0], rows[-1], len(rows)) == ([2.5], {"n": 0}, {"n": ROWS - 1}, ROWS)
    assert client.reply[1] == []  # was returned whole to the loop, freed there in one C call


def test_a_bulk_reads_reply_is_decoded_and_freed_in_the_pause_it_was_parsed_in(server, monkeypatch):
    connection, _ = server
    pauses = []
    real = collection_pause._start_timer

    def start_timer(seconds, then):
        pauses.append(seconds)
        return real(seconds, then)

    monkeypatch.setattr(collection_pause, "_start_timer", start_timer)
    ran, rows = falkordb._received(_Client(connection), ())
    assert (ran, len(rows)) == ([2.5], ROWS)
    assert len(pauses) == 1  # was one for the parse, one for the decode: between them a pass over the reply


def _commands(peer: socket.socket):
    """The commands a client sends on ``peer`` (RESP arrays of bulk strings), one at a time."""
    buffer = b""

    def line() -> bytes:
        nonlocal buffer
        while b"\r\n" not in buffer:
            if not (chunk := peer.recv(65536)):
                raise EOFError
            buffer += chunk
        head, buffer = buffer.split(b"\r\n", 1)
        return head

    def exactly(n: int) -> bytes:
        nonlocal buffer
        while len(buffer) < n + 2:
            if not (chunk := peer.recv(65536)):
                raise EOFError
            buffer += chunk
        data, buffer = buffer[:n], buffer[n + 2:]
        return data

    with contextlib.suppress(EOFError, OSError):
        while True:
            yield [exactly(int(line()[1:])) for _ in range(int(line()[1:]))]


@pytest.fixture
def handshaking_server(tmp_path):
    """A server on a unix socket answering the store's bulk client as FalkorDB does: its handshake
    (HELLO 3, CLIENT SETINFO), then REPLY to each GRAPH.RO_QUERY, counted before it is sent; it
    drops the connection after each reply when ``drops`` holds True. Connections one at a time."""
    path, answered, drops, peers = str(tmp_path / "s.sock"), [], [], []
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(4)

    def serve() -> None:
        with contextlib.suppress(OSError):  # the listener closed: the test is over
            while True:
                peer, _ = listener.accept()
                peers.append(peer)
                with peer:
                    for command in _commands(peer):
                        if command[0] == b"HELLO":
                            peer.sendall(b"%1\r\n+proto\r\n:3\r\n")
                        elif command[0] != b"GRAPH.RO_QUERY":
                            peer.sendall(b"+OK\r\n")
                        else:
                            answered.append(True)
                            peer.sendall(REPLY)
                            if drops:
                                break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, answered, drops
    for peer in [listener, *peers]:  # a client the test left connected ends its recv too
        with contextlib.suppress(OSError):
            peer.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join()


QUERY = ("GRAPH.RO_QUERY", "g", "MATCH (n) RETURN n", "--compact")


def _pauses_begun(monkeypatch, answered: list) -> list[int]:
    """Each pause begun, as the number of statements the server had answered by then."""
    began, real = [], collection_pause._start_timer

    def start_timer(seconds, then):
        began.append(len(answered))
        return real(seconds, then)

    monkeypatch.setattr(collection_pause, "_start_timer", start_timer)
    return began


def test_a_bulk_read_on_a_new_connection_pauses_the_collector_only_once_its_server_answers(handshaking_server,
                                                                                          monkeypatch):
    path, answered, _ = handshaking_server
    client = falkordb_connection.bulk_client(path, 1, 30)  # never connected: the read connects it
    began = _pauses_begun(monkeypatch, answered)
    ran, rows = falkordb._received(client, QUERY)
    assert (ran, len(rows)) == ([2.5], ROWS)
    # was [0]: begun at the handshake's HELLO reply and kept through the server's run of the
    # statement (past the bound, the real parse ran with the collector on)
    assert began == [1]


def test_a_bulk_read_after_its_connection_dropped_pauses_the_collector_only_once_its_server_answers(
        handshaking_server, monkeypatch):
    path, answered, drops = handshaking_server
    client = falkordb_connection.bulk_client(path, 1, 30)
    drops.append(True)  # the server drops the connection after the first reply
    falkordb._received(client, QUERY)
    began = _pauses_begun(monkeypatch, answered)
    ran, rows = falkordb._received(client, QUERY)  # the pool connects again, handshake and all
    assert (ran, len(rows)) == ([2.5], ROWS)
    assert began == [2]  # was [1]: begun at the new connection's handshake
