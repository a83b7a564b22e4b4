"""Redaction of victims' identities for principals without the ``victim-data`` role.

A person is a victim if they have an ``INVOLVED_IN {role: 'victim'}`` or ``HELD_AT {role:
'trafficked'}`` relationship that counts for the reader: one the person's owner asserted (hidden
or not: the owner protecting its victim), or one asserted by another agency that the reader may
see together with its case or compound, the reader not being of the person's owner agency (no
agency hides another's person from its owner, nor from everyone with one RED case). A phone, user
account, bank account, identity document, device, crypto wallet or address is protected if a victim
uses it (``USES_PHONE``, ``HAS_ACCOUNT``, ``HOLDS_ACCOUNT``, ``HOLDS_DOCUMENT``, ``USES_DEVICE``,
``CONTROLS_WALLET``, ``LOCATED_AT``), the link asserted by the identifier's
owner or visible to a reader not of that owner agency (fragments ``victim_mark`` and
``identifier_link``). Which entities are protected comes from Cypher (:func:`protected_ids`,
statement ``security/protected_ids``); what to blank is decided here, by pure functions over
records, for the GraphQL layer to call on every
entity and relationship it returns.

A redacted field reads null (the key stays, with ``None``) and its name is listed in the
result's ``redacted`` fields (fields the record does not have are not listed), so a client can
show "redacted" rather than "unknown".

Fields blanked (:data:`NODE_FIELDS`, :data:`RELATIONSHIP_FIELDS`): a victim's names, aliases,
birth date and place, passport / national id / tax numbers, free-text notes, caption, and the
derived or internal copies of those values (``conflicts``, ``identifiers``, ``referents``,
``searchText``); a protected phone's number and caption (a user account's handle, a bank
account's number, IBAN and key, an identity document's number, a device's IMEI, a wallet's
address, an address's text, key and coordinates); the travel
``document`` on a victim's ``CROSSED``.

Around these fields (in the GraphQL layer, :mod:`graphapi.schema.security_redaction`): ids that
spell a name or number (``per-nguyen-van-an``, ``phone:+84...``) show as opaque ``vid:`` tokens
(:mod:`graphapi.security.victim_ids`), also as the caption and in relationships' ids; free text
that can be about a victim the reader may see (a document in their neighbourhood, a relationship
touching them) reads ``[redacted]`` where it names them (:mod:`graphapi.security.victim_names`);
search leaves victims and their neighbourhood's documents out inside its statement
(:mod:`graphapi.investigate.search`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from graphapi.security.principal import Principal
from graphapi.store import GraphStore, Node, Relationship

#: The role that may see victims' identities.
VICTIM_ROLE = "victim-data"
_COPIES = ("caption", "notes", "conflicts", "identifiers", "referents", "searchText", "searchLatin", "searchNames",
           "searchPrefixes", "searchWords", "searchKeys")
#: The derived search copies: blanked with the rest, never named as a redacted field (internal).
_SEARCH_COPIES = ("searchText", "searchLatin", "searchNames", "searchPrefixes", "searchWords", "searchKeys")
#: Per label, the properties blanked on a protected entity (matched on any of its labels).
NODE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "Person": ("name", "alias", "birthDate", "birthPlace", "passportNumber", "idNumber", "taxNumber", *_COPIES),
    "Phone": ("number", *_COPIES),
    "UserAccount": ("handle", *_COPIES),
    "BankAccount": ("accountNumber", "iban", "accountKey", *_COPIES),
    "IdentityDocument": ("number", *_COPIES),
    "Device": ("imei", *_COPIES),
    "CryptoWallet": ("address", *_COPIES),
    # a victim's home: the street and where it is; city, region and country stay (like a phone's country)
    "Address": ("full", "addressKey", "lat", "lon", *_COPIES),
}
#: Per relationship type, the properties blanked when its start node is protected.
RELATIONSHIP_FIELDS: Mapping[str, tuple[str, ...]] = {"CROSSED": ("document", "notes")}


@dataclass(frozen=True)
class RedactedNode:
    """A node as the principal may see it, and the names of the fields that were blanked."""

    node: Node
    redacted: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedactedRelationship:
    """A relationship as the principal may see it, and the names of the fields that were blanked."""

    relationship: Relationship
    redacted: tuple[str, ...] = ()


def may_see_victims(principal: Principal) -> bool:
    """True if ``principal`` holds the ``victim-data`` role."""
    return principal.has_role(VICTIM_ROLE)


def _blank(props: Mapping[str, Any], fields: Iterable[str]) -> tuple[dict[str, Any], tuple[str, ...]]:
    out = dict(props)
    names = tuple(f for f in dict.fromkeys(fields) if out.get(f) is not None)
    for f in names:
        out[f] = None
    return out, tuple(f for f in names if f not in _SEARCH_COPIES)


def redact_node(node: Node, protected: bool, principal: Principal) -> RedactedNode:
    """``node`` with its identifying fields set to None when ``protected`` and the principal lacks
    ``victim-data``; unchanged otherwise."""
    if not protected or may_see_victims(principal):
        return RedactedNode(node)
    fields = [f for label in node.labels for f in NODE_FIELDS.get(label, ())]
    if not fields:
        return RedactedNode(node)
    props, names = _blank(node.properties, fields)
    return RedactedNode(replace(node, properties=props), names)


def redact_nodes(nodes: Iterable[Node], protected: set[str], principal: Principal) -> list[RedactedNode]:
    """:func:`redact_node` over ``nodes``; ``protected``: ids from :func:`protected_ids`."""
    return [redact_node(n, n.id in protected, principal) for n in nodes]


def redact_relationship(rel: Relationship, protected: set[str], principal: Principal) -> RedactedRelationship:
    """``rel`` with identifying properties set to None when its start node is protected and the
    principal lacks ``victim-data``."""
    fields = RELATIONSHIP_FIELDS.get(rel.type, ())
    if not fields or rel.start not in protected or may_see_victims(principal):
        return RedactedRelationship(rel)
    props, names = _blank(rel.properties, fields)
    return RedactedRelationship(replace(rel, properties=props), names)


async def protected_ids(store: GraphStore, principal: Principal, ids: Iterable[str]) -> set[str]:
    """The ids among ``ids`` (visible to ``principal``) that are victims or victims' phones; one
    round trip, none at all for a principal holding ``victim-data``."""
    unique = list(dict.fromkeys(ids))
    if not unique or may_see_victims(principal):
        return set()
    rows = await store.read("security/protected_ids", {"ids": unique, **principal.cypher_params()})
    return {str(r["id"]) for r in rows}
