"""One failing system call for the search queue's disk-fault tests: the next ``os.<name>`` call
(the first one ``when`` picks) fails once with ``errno``, as on a full disk or a failing device;
the disk is well after."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable


def fail_once(monkeypatch, name: str, errno: int, when: Callable[..., bool] = lambda *args: True) -> list:
    """From now on, the first call of ``os.<name>`` whose arguments ``when`` accepts raises
    ``OSError(errno)``; every other call runs. Returns the failed call's arguments (empty until it
    failed), for a test to check the fault did happen."""
    real, failed = getattr(os, name), []

    def once(*args, **kwargs):
        if not failed and when(*args):
            failed.append(args)
            raise OSError(errno, os.strerror(errno))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, once)
    return failed


def close_fails_once(monkeypatch, when: Callable[[str], bool]) -> list:
    """The next ``os.close`` of a descriptor whose file's path ``when`` accepts reports EIO as Linux
    does (NFS): the descriptor released, then the error raised. Returns the closed paths."""
    real, failed = os.close, []

    def close(fd):
        if not failed and when(os.readlink(f"/proc/self/fd/{fd}")):
            failed.append(os.readlink(f"/proc/self/fd/{fd}"))
            real(fd)
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(fd)

    monkeypatch.setattr(os, "close", close)
    return failed
