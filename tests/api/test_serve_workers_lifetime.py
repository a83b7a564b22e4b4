"""``lintas serve --workers N`` leaves nothing behind when killed outright (attack round 19, K1):
its workers, orphaned by a kill -9 of their supervisor, kept serving and held the port, so a
restart failed while /readyz said ready; and a load job's process held the port too, having
inherited the worker's listening socket (uvloop closes no descriptor on exec)."""

import os
import socket
import subprocess
import sys
import time

from graphapi.process_lifetime import PARENT_ENV

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _within(seconds: float, done) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.1)
    return False


def _binds(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie not yet reaped is gone
    except FileNotFoundError:
        return True


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except FileNotFoundError:
        return []


def test_workers_end_and_free_the_port_when_their_supervisor_is_killed_outright(tmp_path):
    port = _free_port()
    env = {**os.environ, "LINTAS_DATA_DIR": str(tmp_path), "LINTAS_DEMO": "true", "PYTHONPATH": REPO}
    env.pop(PARENT_ENV, None)
    supervisor = subprocess.Popen([sys.executable, "-c", "from graphapi.cli import app; app()", "serve", "--port",
                                   str(port), "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        assert _within(120, lambda: not _binds(port)), "lintas serve did not listen"
        assert _within(120, lambda: len(_children(supervisor.pid)) >= 2)
        workers = _children(supervisor.pid)
        supervisor.kill()
        supervisor.wait()
        assert _within(120, lambda: all(_gone(w) for w in workers)), "orphaned workers kept running"
        assert _within(30, lambda: _binds(port)), "the port stayed held after the workers ended"
    finally:
        supervisor.kill()
        for worker in workers:
            if not _gone(worker):
                os.kill(worker, 9)


def test_a_process_started_to_die_with_a_parent_that_is_gone_ends_at_once():
    code = "from graphapi.process_lifetime import die_with; import time; die_with(1); time.sleep(60)"
    child = subprocess.run([sys.executable, "-c", code], timeout=60, env={**os.environ, "PYTHONPATH": REPO})
    assert child.returncode == -15  # SIGTERM: its parent is this test, never pid 1


def test_a_child_closes_every_descriptor_it_inherited_but_its_standard_streams():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.set_inheritable(True)
    code = ("import os; from graphapi.process_lifetime import close_inherited_descriptors; "
            f"print({listener.fileno()} in map(int, os.listdir('/proc/self/fd'))); close_inherited_descriptors(); "
            "print(sorted(int(f) for f in os.listdir('/proc/self/fd'))[:3])")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, close_fds=False,
                             env={**os.environ, "PYTHONPATH": REPO}).stdout.split("\n")
    finally:
        listener.close()
    assert out[:2] == ["True", "[0, 1, 2]"]
