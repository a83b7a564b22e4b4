"""Processes that must not outlive the one that started them.

An API worker of ``lintas serve --workers N`` whose supervisor was killed outright (kill -9) kept
serving, and held the port so that a restart failed ("Address already in use") while ``/readyz``
still said ready; a load job's process kept the worker's listening socket too, inherited through
uvloop's subprocesses, which close no descriptor on exec (attack round 19, K1). Such a process
asks the kernel for SIGTERM when its parent dies (Linux ``PR_SET_PDEATHSIG``) and, since its
parent may be gone already, checks that it is still the one it was started by.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
#: Set by a process for the children that must die with it: its pid.
PARENT_ENV = "LINTAS_PARENT_PID"


def die_with_parent() -> None:
    """SIGTERM this process when its parent dies (Linux only; elsewhere nothing). Also usable as
    a ``subprocess`` ``preexec_fn``."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def die_with(parent: int) -> None:
    """:func:`die_with_parent`, and SIGTERM now if the parent is no longer ``parent`` (it died
    before the request reached the kernel)."""
    die_with_parent()
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def die_with_the_parent_named_in(environ: dict[str, str] | os._Environ[str]) -> None:
    """:func:`die_with` the pid of :data:`PARENT_ENV` in ``environ``, if set."""
    pid = environ.get(PARENT_ENV, "")
    if pid.isdigit():
        die_with(int(pid))


def close_inherited_descriptors() -> None:
    """Close every descriptor but stdin, stdout and stderr: what a child got from a parent whose
    event loop (uvloop) does not close them on exec, such as the API's listening socket."""
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
