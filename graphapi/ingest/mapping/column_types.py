"""The value type of a mapping's columns, for the conditions on them: a null token in a column
the mapping reads as one type's values is tested by that type (``NA`` in a country column is
Namibia, so ``{column: country, empty: true}`` does not hold for it; round a-56, F5)."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.mapping.model import _columns_in

#: A column's value type and the hints it is cleaned with (an enum's values).
ColumnType = tuple[str, tuple[tuple[str, Any], ...]]


def column_types(doc: dict[str, Any], model: Any) -> dict[str, ColumnType]:
    """The value type (with an enum's values) of each column a mapping ``doc`` reads only as
    values of that one type: by ``{column}`` specs (alone or in a coalesce) of properties of that
    type in ``model``, and by no template, key, concat, id or hint (those take a null token as no
    value whatever it is). Conditions read columns too, but give them no type."""
    seen: dict[str, set[ColumnType]] = {}
    untyped = _columns_in({k: v for k, v in doc.items() if k not in ("entities", "relationships")})
    owners = [(spec, model.label(spec["label"]).properties) for spec in (doc.get("entities") or {}).values()]
    owners += [(rel, model.relationship(rel["type"]).properties) for rel in doc.get("relationships") or []]
    for spec, props in owners:
        untyped |= _columns_in({k: v for k, v in spec.items() if k not in ("properties", "when")})
        for name, pspec in (spec.get("properties") or {}).items():
            for sub in pspec if isinstance(pspec, list) else [pspec]:
                if isinstance(sub, dict) and isinstance(sub.get("column"), str) and name in props:
                    tname = sub.get("type", props[name].type)
                    values = tuple(props[name].values or ()) if tname == "enum" else ()
                    seen.setdefault(sub["column"], set()).add((tname, (("values", values),) if values else ()))
                    untyped |= _columns_in({k: v for k, v in sub.items() if k != "column"})
                else:
                    untyped |= _columns_in(sub)
    return {c: next(iter(types)) for c, types in seen.items()
            if len(types) == 1 and c not in untyped}
