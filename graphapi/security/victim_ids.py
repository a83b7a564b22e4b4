"""Opaque ids for victims' nodes: ``vid:<token>`` instead of an id that spells a name or number.

Loaders derive ids from identifying values (``per-nguyen-van-an``, ``phone:+84912345678``). To a
principal without ``victim-data`` the API shows a protected entity's id (and a relationship id
that touches one) as ``vid:`` + base64url of its AES-SIV encryption (RFC 5297, deterministic:
one id always gives the same token, so link charts still join nodes and edges), the id padded
with NULs to :data:`PADDED_SIZES` (256 bytes for every id up to 256 UTF-8 bytes, which is nearly
every id; longer ones to 1,024 or 4,096), so a token tells nothing of its id's length below that
(its length was once the id's 32-byte bucket). The API takes such a token wherever
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
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from graphapi.errors import NotFound
from graphapi.ontology.ids import OPAQUE_PREFIX
from graphapi.private_files import private_dir
from graphapi.settings import Settings, get_settings

#: Reserved in ``graphapi.ontology.ids``: no loader may store an id that starts with it.
PREFIX = OPAQUE_PREFIX
#: The lengths an id is padded to before encryption (ids are at most 4,000 UTF-8 bytes).
PADDED_SIZES = (256, 1024, 4096)
#: The longest token (of a 4,096-byte plaintext): longer than an id may be, so check_id lets
#: well-formed tokens up to this length through.
MAX_TOKEN_CHARS = len(PREFIX) + -(-(PADDED_SIZES[-1] + 16) * 4 // 3)
_TOKEN = re.compile(r"vid:[A-Za-z0-9_-]+")


def padded_size(length: int) -> int:
    """The plaintext size for an id of ``length`` UTF-8 bytes (:data:`PADDED_SIZES`, then
    multiples of the last)."""
    for size in PADDED_SIZES:
        if length <= size:
            return size
    return -(-length // PADDED_SIZES[-1]) * PADDED_SIZES[-1]


def is_token(value: str) -> bool:
    """True if ``value`` has the shape of a ``vid:`` token (it may still decrypt to nothing)."""
    return len(value) <= MAX_TOKEN_CHARS and _TOKEN.fullmatch(value) is not None


class VictimIds:
    """Encrypts ids to ``vid:`` tokens and back with one secret."""

    def __init__(self, secret: str) -> None:
        self._siv = AESSIV(hashlib.sha512(secret.encode()).digest())

    def opaque(self, real_id: str) -> str:
        """The ``vid:`` token for ``real_id`` (same id, same token)."""
        raw = real_id.encode()
        padded = raw.ljust(padded_size(len(raw)), b"\x00")  # ids never hold NUL (refused on input)
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
    private_dir(path.parent)
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
    """A NOT_FOUND error raised inside names its id as the caller gave it: a ``vid:`` token stays
    a token (``no entity with id 'vid:...'``), never the id behind it; a victim's id typed in clear
    (looked up as an id no entity has) reads as typed. By the error's id, never by rewriting its
    text: a message that merely contains a victim's real id (a guess typed beside the victim's
    token) must read exactly as it would for any other guess. Other errors never quote an id
    looked up (only text the caller typed) and pass unchanged."""
    try:
        yield
    except NotFound as exc:
        named: dict[str, str] = {}
        for r, g in zip(real, given, strict=True):
            named.setdefault(r, g)
        if exc.entity_id is None or exc.entity_id not in named or named[exc.entity_id] == exc.entity_id:
            raise
        raise NotFound.no_entity(named[exc.entity_id]) from None
