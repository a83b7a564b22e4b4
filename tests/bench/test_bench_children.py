"""The bench's processes end with it (attack round 11, B1: a stopped `lintas bench` left its
anonymous demo API answering on loopback and its store running)."""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from graphapi.bench.children import Terminated, until_terminated

PARENT = textwrap.dedent("""
    import subprocess, sys, time
    from graphapi.bench.children import die_with_parent
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], preexec_fn=die_with_parent)
    print(child.pid, flush=True)
    time.sleep(600)
""")


def _gone(pid: int, within_s: float = 60) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        with open(f"/proc/{pid}/stat") as fh:  # a zombie not yet reaped by init is gone too
            if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        time.sleep(0.05)
    return False


def test_a_child_started_to_die_with_the_bench_ends_when_the_bench_is_killed_outright():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    assert _gone(child)


def test_sigterm_cancels_the_bench_so_its_cleanup_runs_and_says_it_was_stopped():
    cleaned = []

    async def bench():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.sleep(600)
        finally:
            cleaned.append("servers stopped")

    with pytest.raises(Terminated):
        asyncio.run(until_terminated(bench()))
    assert cleaned == ["servers stopped"]


def test_work_that_ends_on_its_own_returns_its_result():
    async def bench():
        return {"throughput": 1}

    assert asyncio.run(until_terminated(bench())) == {"throughput": 1}
