"""Opaque ids for victims' nodes: ``vid:<token>`` instead of an id that spells a name or number.

Loaders derive ids from identifying values (``per-nguyen-van-an``, ``phone:+84912345678``). To a
principal without ``victim-data`` the API shows a protected entity's id (and a relationship id
that touches one) as ``vid:`` + base64url of its AES-SIV encryption (RFC 5297, deterministic:
one id always gives the same token, so link charts still join nodes and edges), the id padded to
a multiple of 32 bytes so the token barely tells its length. The API takes such a token wherever
it takes an id and decrypts it back: no lookup table, nothing stored in the graph, any worker
answers. A keyed hash (HMAC) would be shorter but needs a table to map back.

The key is ``LINTAS_VICTIM_ID_KEY`` (any string; SHA-512 gives the 64-byte AES-SIV key), else a
random secret generated once into ``<data_dir>/victim-id.key`` (mode 0600). Changing it changes
every token: clients holding old ones get NOT_FOUND-like answers (an id nobody has).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from graphapi.errors import LintasError
from graphapi.settings import Settings, get_settings

PREFIX = "vid:"
_BLOCK = 32


class VictimIds:
    """Encrypts ids to ``vid:`` tokens and back with one secret."""

    def __init__(self, secret: str) -> None:
        self._siv = AESSIV(hashlib.sha512(secret.encode()).digest())

    def opaque(self, real_id: str) -> str:
        """The ``vid:`` token for ``real_id`` (same id, same token)."""
        raw = real_id.encode()
        padded = raw + b"\x00" * (_BLOCK - len(raw) % _BLOCK)  # ids never hold NUL (refused on input)
        token = base64.urlsafe_b64encode(self._siv.encrypt(padded, None)).rstrip(b"=").decode()
        return PREFIX + token

    def resolve(self, value: str) -> str:
        """The real id behind a ``vid:`` token of this key; any other value unchanged (a token that
        does not decrypt is returned as given: it names no entity, so lookups answer not found)."""
        if not value.startswith(PREFIX):
            return value
        token = value[len(PREFIX):]
        try:
            data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return self._siv.decrypt(data, None).rstrip(b"\x00").decode()
        except (ValueError, binascii.Error, InvalidTag, UnicodeDecodeError):
            return value


def key_path(settings: Settings) -> Path:
    """Where the generated secret lives when ``LINTAS_VICTIM_ID_KEY`` is unset."""
    return Path(settings.data_dir) / "victim-id.key"


def _generated_secret(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of several workers starting at once, one writes and the others read its key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def victim_ids_for(settings: Settings) -> VictimIds:
    """A :class:`VictimIds` with the key ``settings`` give (generating the key file if needed)."""
    key = settings.victim_id_key
    return VictimIds(key.get_secret_value() if key is not None else _generated_secret(key_path(settings)))


@cache
def victim_ids() -> VictimIds:
    """The process's :class:`VictimIds` (from :func:`graphapi.settings.get_settings`)."""
    return victim_ids_for(get_settings())


def real_ids(*given: str) -> list[str]:
    """The ids behind ``given`` (``vid:`` tokens decrypted, other ids as they are)."""
    ids = victim_ids()
    return [ids.resolve(g) for g in given]


@contextmanager
def naming_given_ids(given: Sequence[str], real: Sequence[str]) -> Iterator[None]:
    """Errors raised inside name each id as the caller gave it: a ``vid:`` token stays a token
    (``no entity with id 'vid:...'``), never the id behind it."""
    try:
        yield
    except LintasError as exc:
        message = str(exc)
        for g, r in zip(given, real, strict=True):
            if g != r:
                message = message.replace(r, g)
        if message == str(exc):
            raise
        raise type(exc)(message) from None
