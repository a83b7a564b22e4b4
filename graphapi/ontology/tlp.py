"""Traffic Light Protocol 2.0 visibility of one stored item, in Python.

The same rule as ``cypher/fragments/visible.fragment`` (which every read applies inside its
Cypher; DESIGN.md security model; TLP 2.0 by FIRST, https://www.first.org/tlp/): CLEAR and GREEN
to every principal; AMBER to the owner agency and the agencies in ``sharedWith``; AMBER+STRICT and
RED to the owner only; an item without a ``tlp`` only to its owner (fail closed). Used where the
loader already holds an item's stored properties and must not merge into what the writing agency
cannot see. ``tests/ontology/test_tlp.py`` checks it against the fragment on the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ontology.model import TLP_LEVELS


def audience(tlp: Any, owner: Any, shared_with: Iterable[str] | None) -> frozenset[str] | None:
    """The agencies that may see an item at ``tlp`` held by ``owner`` and shared with
    ``shared_with``; ``None`` for everyone (CLEAR, GREEN)."""
    if tlp in ("CLEAR", "GREEN"):
        return None
    agencies = {owner} if owner is not None else set()
    if tlp == "AMBER":
        agencies.update(shared_with or ())
    return frozenset(agencies)


def strictness(tlp: Any) -> int:
    """Rank of a TLP level, least restricted first; an item without one counts as RED."""
    return TLP_LEVELS.index(tlp) if tlp in TLP_LEVELS else len(TLP_LEVELS) - 1


def reaches_all(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """True if every agency of audience ``narrow`` is in audience ``wide`` (None: everyone), as
    :func:`audience` gives them: what ``wide`` may read may show where ``narrow`` reads."""
    return wide is None or (narrow is not None and narrow <= wide)


def item_audience(props: Mapping[str, Any]) -> frozenset[str] | None:
    """Who may see an item of stored (or merged) properties ``props`` (``tlp``, ``owner``,
    ``sharedWith``), as :func:`audience` gives it."""
    return audience(props.get("tlp"), props.get("owner"), props.get("sharedWith"))


def visible_to(props: Mapping[str, Any], agency: str | None) -> bool:
    """True if an item with stored properties ``props`` (``tlp``, ``owner``, ``sharedWith``) is
    visible to ``agency`` (``None``: a principal of no agency)."""
    seen_by = item_audience(props)
    return seen_by is None or (agency is not None and agency in seen_by)
