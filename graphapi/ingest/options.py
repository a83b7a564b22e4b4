"""The load options that ``lintas load`` and ``POST /loads`` share, checked by one set of rules.

- :func:`normalise_tlp`: a TLP 2.0 level, any case (``red``, ``amber+strict``), to its canonical
  name (``CLEAR``, ``GREEN``, ``AMBER``, ``AMBER+STRICT``, ``RED``).
- :func:`check_agency_id`: an agency id (an owner, or an agency an item is shared with):
  1-64 characters of ``A-Z a-z 0-9 . _ -``, starting with a letter or digit. Never ``:`` or
  ``@``: an agency's loads write sources ``<loader>@<agency>`` and ``<loader>@<agency>:<dataset>``,
  and a retraction withdraws ``<source>`` and everything under ``<source>:``, so an agency
  ``LA:MPS`` would own sources under agency ``LA``'s. The same rule holds for the agency of a
  token (``graphapi.security.tokens``) and of an API key (``graphapi.security.apikeys``).
- :func:`check_source_id`: a source (dataset) id a load is named by (``--source``, an upload's
  ``source``): the same characters as an agency id, for the same reason (``:`` and ``@`` would
  reach into another source's datasets).
- :func:`load_source`: the source a load's statements are stored under, ``<name>@<owner>``, the
  one rule of ``lintas load ofac|ftm|csv`` and ``POST /loads`` (README.md#the-source-of-a-load).
- :func:`parse_shared_with`: agency ids given repeated and/or comma- or space-separated, checked,
  duplicates dropped, in the order given; at most :data:`MAX_AGENCIES` of them.
- :func:`check_agencies`: a list of agency ids (GraphQL ``share(agencies:)``, ``ingest(sharedWith:)``),
  one per item, checked the same way.

Each raises ``ValueError`` with a message that reads after the option's name (``--tlp: ...``,
``tlp ...``); the CLI turns it into a usage error (exit 2), HTTP into 400 ``BAD_USER_INPUT``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphapi.ontology import TLP_LEVELS

__all__ = ["AGENCY_ID", "MAX_AGENCIES", "check_agencies", "check_agency_id", "check_replace", "check_source_id",
           "load_source", "normalise_tlp", "owns_source", "parse_shared_with"]

#: What an agency id may be.
AGENCY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: Agencies one item may be shared with in one call: every agency id is stored on the item and
#: every read of it checks the list (150,000 made each read of the node ~15x slower).
MAX_AGENCIES = 50


def normalise_tlp(value: str) -> str:
    """``value`` as a canonical TLP 2.0 level name (case and surrounding blanks ignored)."""
    tlp = value.strip().upper()
    if tlp not in TLP_LEVELS:
        raise ValueError(f"must be one of {', '.join(TLP_LEVELS)}; got {value!r}")
    return tlp


def check_agency_id(value: str) -> str:
    """``value`` if it is an agency id (see the module docstring); ValueError if not."""
    if not isinstance(value, str) or not AGENCY_ID.fullmatch(value):
        shown = value[:80] + "..." if isinstance(value, str) and len(value) > 80 else value  # never echo megabytes
        raise ValueError(f"{shown!r} is not an agency id (1-64 of A-Z a-z 0-9 . _ -, "
                         "starting with a letter or digit)")
    return value


def check_source_id(value: str) -> str:
    """``value`` if it is a source id (the characters of an agency id); ValueError if not."""
    if not isinstance(value, str) or not AGENCY_ID.fullmatch(value):
        shown = value[:80] + "..." if isinstance(value, str) and len(value) > 80 else value
        raise ValueError(f"{shown!r} is not a source id (1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)")
    return value


def load_source(name: str | None, default: str, owner: str) -> str:
    """The source a load's statements are stored under: ``<name>@<owner>``, ``name`` the one the
    load names (``--source``, an upload's ``source``, ``source:`` in a mapping of one's own) or
    else the loader's ``default`` (``ofac-sdn``, ``ftm``, a shipped mapping's). The same for the
    CLI (``owner``: ``--owner``) and an upload (the caller's agency), so both load, and replace,
    one source; neither part holds ``@`` or ``:`` (checked ids), so no owner can name, and so
    replace or retract, another owner's source."""
    return f"{check_source_id(name or default)}@{check_agency_id(owner)}"


def check_replace(replace: bool, name: str | None, default: str, option: str = "source") -> None:
    """ValueError for a replace that names no source. A replace retracts what its source asserted
    before and this load does not, and every load of a feed by one owner that names no source
    shares one: one file's replace without a source took back the others' (a new-user report: 149
    nodes of three other files). Naming the loader's own name replaces those loads, on purpose
    (new-user trial 7: an upload without a source could be replaced no way at all)."""
    if replace and name is None:
        raise ValueError(
            f"a replace must name its source: it retracts what that source asserted before and this load does "
            f"not, and without a source that is every earlier load of this feed that named none. Name the feed's "
            f"own source ({option} {default!r} is every load of it that named none) or the one its loads named")


def owns_source(source: str, owner: str) -> bool:
    """``source`` (or one of its datasets, ``<source>:<dataset>``) is ``owner``'s alone: one that
    :func:`load_source` made for ``owner``, which no other owner's load can write."""
    head = source.split(":", 1)[0]
    return head.endswith(f"@{owner}") and AGENCY_ID.fullmatch(head[:-len(owner) - 1]) is not None


def _bounded(agencies: tuple[str, ...]) -> tuple[str, ...]:
    if len(agencies) > MAX_AGENCIES:
        raise ValueError(f"names {len(agencies)} agencies, more than the limit of {MAX_AGENCIES}")
    return agencies


def parse_shared_with(values: Iterable[str]) -> tuple[str, ...]:
    """Agency ids from ``values`` (each may hold several, separated by commas or blanks)."""
    shared: list[str] = []
    for value in values:
        shared += [check_agency_id(a) for a in re.split(r"[\s,]+", value.strip()) if a]
    return _bounded(tuple(dict.fromkeys(shared)))


def check_agencies(values: Iterable[str]) -> tuple[str, ...]:
    """Agency ids, one per item of ``values`` (surrounding blanks ignored), duplicates dropped, in
    the order given; ValueError naming the first bad item's position, or for more than
    :data:`MAX_AGENCIES`."""
    shared: list[str] = []
    for i, value in enumerate(values):
        try:
            shared.append(check_agency_id(value.strip() if isinstance(value, str) else value))
        except ValueError as exc:
            raise ValueError(f"[{i}]: {exc}") from None
    return _bounded(tuple(dict.fromkeys(shared)))
