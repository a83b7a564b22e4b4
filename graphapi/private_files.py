"""Files and folders that hold investigation data, created owner-only whatever the umask.

The audit log, reject reports (rejected rows as read), uploads, the embedded store's data and the
key files hold what analysts see; under the usual umask 022 they were world-readable (0644) to
every account on the host. Files are created ``0600`` and folders this module creates ``0700``
(the mode is given at creation, so there is no moment when the file is open to others; an
existing regular file we own is narrowed to ``0600`` when opened). Folders that already exist are left as
they are: they may be the operator's own (the current directory, ``/var/log``).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

#: Owner read/write; owner read/write/enter.
FILE_MODE = 0o600
DIR_MODE = 0o700
#: What the embedded store's server process is started with: its RDB/AOF files are 0600.
CHILD_UMASK = 0o077

_FLAGS = {
    "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL,
}


def private_dir(path: Path, *, exist_ok: bool = True) -> Path:
    """Create ``path`` and any missing parents, each created one ``0700``; FileExistsError if it
    exists and not ``exist_ok``."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    if not missing and not exist_ok:
        raise FileExistsError(path)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made by another process meanwhile
            if folder == path and not exist_ok:
                raise
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is reduced by the umask, never widened
    return path


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode, **kwargs)`` for writing (``w``, ``a``, ``x``, with ``b`` for bytes), the
    file created ``0600``; a file we own that exists already is narrowed to ``0600``."""
    fd = os.open(path, _FLAGS[mode.replace("b", "")], FILE_MODE)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # not /dev/stdout or a pipe given as a report path
            with contextlib.suppress(PermissionError):  # someone else's file: theirs to set
                os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """``path.write_text(data)`` / ``write_bytes``, the file ``0600``."""
    if isinstance(data, bytes):
        with open_private(path, "wb") as fh:
            fh.write(data)
    else:
        with open_private(path, "w", encoding=encoding) as fh:
            fh.write(data)


def replace_private(path: Path, data: str | bytes, *, durable: bool = False, encoding: str = "utf-8") -> None:
    """Replace ``path`` whole with ``data``, the file ``0600``: written to a temporary file of its own
    beside it (``mkstemp``: unique per writer, created ``0600``), then renamed over it, so a reader
    sees the old content or the new, never part of one. ``durable`` syncs the data to disk before
    the rename (a key file must not come back empty after a power cut)."""
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode(encoding))
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
