"""Traffic Light Protocol 2.0 visibility of one stored item, in Python.

The same rule as ``cypher/fragments/visible.fragment`` (which every read applies inside its
Cypher; DESIGN.md security model; TLP 2.0 by FIRST, https://www.first.org/tlp/): CLEAR and GREEN
to every principal; AMBER to the owner agency and the agencies in ``sharedWith``; AMBER+STRICT and
RED to the owner only; an item without a ``tlp`` only to its owner (fail closed). Used where the
loader already holds an item's stored properties and must not merge into what the writing agency
cannot see. ``tests/ontology/test_tlp.py`` checks it against the fragment on the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def visible_to(props: Mapping[str, Any], agency: str | None) -> bool:
    """True if an item with stored properties ``props`` (``tlp``, ``owner``, ``sharedWith``) is
    visible to ``agency`` (``None``: a principal of no agency)."""
    tlp = props.get("tlp")
    if tlp in ("CLEAR", "GREEN"):
        return True
    owner = props.get("owner")
    if owner is not None and owner == agency:
        return True
    return tlp == "AMBER" and agency in (props.get("sharedWith") or [])
