"""Victim redaction in GraphQL responses: what is redacted, and the ``extensions.redacted`` mark.

For a principal without the ``victim-data`` role, every entity and relationship a response shows
is redacted where its record becomes a GraphQL type (``graphapi.schema.shown``), once per record:
its view (``graphapi.schema.redaction_views``) holds its ids and properties as shown, and which of
its fields are free text to scrub; fields read the view (issue 14: this was a schema extension
wrapping every field resolver, ~770 of them for a neighbourhood). Which entities are protected
comes with the records where the statement that read them can say it (``entity/shown_by_ids``,
``expand/relationships``, a subgraph's own ordering lookup), else it is asked once per response
level through the request's batching cache (``Context.loaders.protected``, statement
``security/protected_ids``). Principals holding ``victim-data`` see every record as stored.

- Identifying fields of a protected entity (``graphapi.security.redaction.NODE_FIELDS``; on
  relationships ``RELATIONSHIP_FIELDS``, also inside the ``properties`` map) read null, or ``[]``
  where the schema makes a list non-null; so does ``values(property:)`` for such a property.
- A protected entity's ``lintasId``, ``caption`` and Relay ``id`` show its opaque ``vid:`` token
  (``graphapi.security.victim_ids``), never the id, which loaders derive from the name or number;
  so do ``sourceId`` / ``targetId`` for a protected end, and the ``id`` of a relationship that
  touches one. The query fields take the token back as an id.
- Free text that can be about a victim the reader may see has that victim's names, aliases and
  document numbers replaced by ``[redacted]`` (``graphapi.security.victim_names``): every text field
  of a Document in the victim's neighbourhood, a Case's title (and caption) and any entity's
  ``notes`` there (linked to the victim or to a case the victim is in: the case itself, a suspect
  who recruited them), and the properties of a relationship touching the victim; the same fields'
  disagreeing values in ``conflicts``; the dataset and file names (``sources``, and the ``source``
  and ``recordId`` of ``values(property:)``) of a protected entity and of such a Document. Names and
  identifiers of other entities are never rewritten. The names are read per response level with
  the ids shown, through a second batching cache.

The response marks what was redacted in ``extensions.redacted``: ``{"<vid token or lintasId>":
["name", "birthDate", ...], "<relationship id>": ["document"], "<document id>": ["title"]}``.
Search needs nothing here: its statement leaves protected entities out before paging
(``graphapi.investigate.search``), so they are in no page, cursor or count.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from strawberry.extensions import SchemaExtension


class RedactVictims(SchemaExtension):
    """Adds ``extensions.redacted`` (module docstring) from the request's redactions."""

    def get_results(self) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        shown = getattr(self.execution_context.context, "_shown", None)
        redacted = shown.redactions.redacted if shown is not None and shown.redactions is not None else {}
        if not redacted:
            return {}
        return {"redacted": {k: sorted(v) for k, v in sorted(redacted.items())}}
