"""Checks of a mapping's value specs, conditions and per-column rules, before any row is read:
each is compiled once here, so a typo (an unknown step, a bad regex, a map on a column nothing
reads) is a :class:`MappingError` naming its place, never a surprise on row 10,000."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.mapping.account_rules import check_account_rule
from graphapi.ingest.mapping.conditions import compile_condition
from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.steps import REFINE_KEYS, compile_refine
from graphapi.ingest.mapping.values import _is_null
from graphapi.ontology import OntologyError
from graphapi.ontology.types import get_type
from graphapi.ontology.types.datetime import check_zone

#: what a value spec may say: where its text comes from, then how it is refined and cleaned
SPEC_KEYS = frozenset({"column", "value", "template", "concat", "sep", "type", "split", "hints", *REFINE_KEYS})


def check_value_spec(spec: Any, where: str) -> None:
    """Raise MappingError naming ``where`` if ``spec`` (a value spec, a list of them, or a
    literal) has a key, a value type, a ``concat`` or refinement the language does not have."""
    if isinstance(spec, list):
        for i, sub in enumerate(spec):
            check_value_spec(sub, f"{where}[{i}]")
        return
    if not isinstance(spec, dict):
        return  # a bare literal is a {value}
    unknown = sorted(set(spec) - SPEC_KEYS)
    if unknown:
        raise MappingError(f"{where}: unknown key(s) {unknown}; a value spec takes {', '.join(sorted(SPEC_KEYS))}")
    if "type" in spec:
        try:
            get_type(spec["type"])
        except OntologyError:
            raise MappingError(f"{where}: type {spec['type']!r} names no value type") from None
    if "column" in spec and not isinstance(spec["column"], str):  # YAML reads column: 3 as a number
        raise MappingError(f"{where}: a column is named by text, not {spec['column']!r} "
                           f"(quote a number: {{column: \"{spec['column']}\"}})")
    if "concat" in spec and (not isinstance(spec["concat"], list) or not spec["concat"]):
        raise MappingError(f"{where}: concat needs a list of columns, not {spec['concat']!r}")
    compile_refine(spec, where, _is_null)
    check_hints(spec.get("hints") or {}, f"{where}.hints")


def check_hints(hints: dict[str, Any], where: str) -> None:
    """Check a ``hints:`` block's value specs; a literal ``tz`` must be an IANA zone (a typo would
    otherwise reject every row as an invalid datetime, far from its cause), a literal ``calendar``
    ``buddhist`` or ``gregorian``."""
    for name, hint in hints.items():
        check_value_spec(hint, f"{where}.{name}")
        if name == "tz" and not isinstance(hint, dict | list):
            try:
                check_zone(str(hint))
            except ValueError as exc:
                raise MappingError(f"{where}.tz: {exc}") from None
        if name == "calendar" and not isinstance(hint, dict | list) and hint not in ("buddhist", "gregorian"):
            raise MappingError(f"{where}.calendar: buddhist or gregorian, not {hint!r}")


def check_specs(doc: dict[str, Any], read: set[str]) -> None:
    """Check every value spec, ``when`` and ``columns:`` rule of a mapping document; ``read``:
    the columns the mapping reads (a ``columns:`` rule on another column is an error)."""
    check_hints(doc.get("hints") or {}, "hints")
    for ename, spec in (doc.get("entities") or {}).items():
        if "id" in spec:
            check_value_spec(spec["id"], f"entity {ename}.id")
        for prop, pspec in (spec.get("properties") or {}).items():
            check_value_spec(pspec, f"entity {ename}.{prop}")
        if spec.get("when"):
            compile_condition(spec["when"], f"entity {ename}.when", _is_null)
    for i, rel in enumerate(doc.get("relationships") or []):
        at = f"relationship {i + 1} ({rel.get('type')})"
        for prop, pspec in (rel.get("properties") or {}).items():
            check_value_spec(pspec, f"{at}.{prop}")
        if rel.get("when"):
            compile_condition(rel["when"], f"{at}.when", _is_null)
    opts = doc.get("csv") or {}
    if not isinstance(opts, dict) or set(opts) - {"delimiter", "encoding", "records", "header"}:
        raise MappingError(f"csv: takes delimiter, encoding, records and header, not {opts!r}")
    if opts.get("records", "single-line") not in ("single-line", "multi-line"):
        raise MappingError(f"csv.records: single-line or multi-line, not {opts['records']!r}")
    if not isinstance(opts.get("header", True), bool):
        raise MappingError(f"csv.header: true (the first row names the columns) or false, not {opts['header']!r}")
    if opts.get("header") is False:  # columns are numbered: a name would match no column
        named = sorted(c for c in read if not (c.isdigit() and int(c) > 0))
        if named:
            raise MappingError(f"csv: {{header: false}} numbers the columns from \"1\"; the mapping reads "
                               f"column(s) {named[:5]} by name")
    rules = doc.get("columns") or {}
    if not isinstance(rules, dict):
        raise MappingError(f"columns: a mapping of column -> rule, not {rules!r}")
    for column, rule in rules.items():
        where = f"columns.{column}"
        if column not in read:
            raise MappingError(f"{where}: no entity, relationship or hint reads column {column!r}")
        if not isinstance(rule, dict) or not rule or set(rule) - REFINE_KEYS - {"account"}:
            raise MappingError(f"{where}: a column rule takes {', '.join(sorted(REFINE_KEYS | {'account'}))}, "
                               f"not {rule!r}")
        compile_refine(rule, where, _is_null)
        if "account" in rule:
            check_account_rule(rule["account"], where, read)
