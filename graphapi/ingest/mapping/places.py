"""Places a mapping resolves through a gazetteer: which mapped entities take their id from
``resolve: checkpoint`` / ``resolve: compound`` (``docs/mappings.md``), so that a row whose place
the gazetteer does not know still makes its node, flagged ``unresolvedPlace`` for review."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.records import LoadWarning, Origin


def _resolves(spec: Any) -> str | None:
    """The place kind an id spec (or a coalesce of them) resolves with, else None."""
    for sub in spec if isinstance(spec, list) else [spec]:
        if isinstance(sub, dict) and sub.get("resolve") in ("checkpoint", "compound"):
            return str(sub["resolve"])
    return None


def place_entities(entities: dict[str, dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Mapped entity name -> the gazetteer ids its id may resolve to, for the entities whose id
    spec resolves a place; any other id such an entity gets is an unresolved place."""
    out = {}
    for name, spec in entities.items():
        kind = _resolves(spec.get("id"))
        if kind is not None:
            out[name] = frozenset(gazetteer(f"{kind}s").entries)
    return out


def unknown_place(label: str, node_id: str, name: Any, origin: Origin, row: dict[str, Any]) -> LoadWarning:
    """The warning for a place no gazetteer knows, made under the feed's own id: said with its
    file and line (once per place and load), so a data engineer can list what to add to a
    deployment's gazetteer (new-user trial 6: nothing named them, not `mapping check` either)."""
    named = f" ({name!r})" if name else ""
    return LoadWarning(origin.file, origin.line,
                       f"unknown place: {label} {node_id}{named} is in no gazetteer; made from the feed's own id, "
                       "flagged unresolvedPlace (a deployment adds it: seed/gazetteers/README.md)", dict(row))
