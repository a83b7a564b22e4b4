"""The audience tokens of an entity (``searchAudience``), full-text indexed beside its words, so a
search asks the engine only for what its reader may see (attack round 26, G2).

Every reader's search ANDs its own tokens into the full-text query: ``EVERYONE`` (an entity at
CLEAR or GREEN) and its agency's token (an entity it owns or that is AMBER and shared with it).
Entities the reader may not see are never read by the engine, so a search's time no longer grows
with another agency's hidden matches (a word KH held 90k times answered VN ``totalCount 0`` in
0.24 s against 0.02 s for an unknown word: a timing oracle, prefixes too). The rule is TLP's
(:func:`graphapi.ontology.tlp.audience`, ``cypher/fragments/visible.fragment``) and search keeps
the Cypher visibility check after the index (defence in depth).

The writer derives the field in Cypher (``cypher/fragments/search_audience.fragment``) wherever a
node's owner, tlp or sharedWith change (ingest, share, unshare, relevel, placeholders), so it is
never stale; ``init_schema`` backfills it for entities stored before it existed and, once per
graph, derives it again where an older writer stored it from old levels
(:mod:`graphapi.store.audience_repair`).

A token is ``z`` and two digits per character of the agency id (10 + the character's place in
:data:`ALPHABET`, the characters an agency id may hold): the analysers of both engines keep it
one token, lower-casing cannot merge two agencies that differ in case only, and no separator
(``-``, ``.``) splits it.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphapi.ontology.tlp import audience

#: The characters of an agency id (graphapi/ingest/options.py ``AGENCY_ID``), in the fragment's order.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#: The token of an entity every principal may see (CLEAR, GREEN).
EVERYONE = "zall"


def agency_token(agency: str) -> str:
    """The token of ``agency`` (a character outside :data:`ALPHABET` codes as 75, as the fragment does)."""
    return "z" + "".join(str(10 + (ALPHABET.index(ch) if ch in ALPHABET else len(ALPHABET))) for ch in agency)


def reader_tokens(agency: str | None) -> list[str]:
    """The tokens a reader of ``agency`` (None: a principal of no agency) finds entities by."""
    return [EVERYONE] if agency is None else [EVERYONE, agency_token(agency)]


def audience_field(tlp: object, owner: object, shared_with: Iterable[str] | None) -> str:
    """The ``searchAudience`` value the fragment derives, in Python (tests compare the two)."""
    seen_by = audience(tlp, owner, shared_with)
    if seen_by is None:
        return EVERYONE
    agencies = ([owner] if owner is not None else []) + (list(shared_with or []) if tlp == "AMBER" else [])
    return "".join(" " + agency_token(str(a)) for a in agencies)
