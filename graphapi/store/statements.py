"""Named Cypher statements loaded from ``cypher/`` (the aiosql habit: statements are files).

A statement is one ``.cypher`` file; its path below ``cypher/`` without the suffix is its name
(``expand/neighbourhood``). A file of the same name under ``cypher/neo4j/`` or
``cypher/falkordb/`` overrides the shared one for that dialect. The header is ``//`` comments::

    // One-line summary.
    // mode: read                      (read | write | schema | prelude)
    // param $id: str - start node id
    // placeholder label: label        (label | labels | relationship | property)
    // returns: node map {id, labels, properties}

The body may use ``{{name}}`` placeholders for labels, relationship types and property names:
Cypher cannot parameterise those, so values are checked against the ontology's allow-list
before they are spliced in. ``{{fragment(var)}}`` splices ``cypher/fragments/fragment.fragment``
with ``ITEM`` replaced by ``var`` (the visibility predicate lives there; a fragment may splice
others, ``{{visible(endNode(ITEM))}}``); ``{{fragment(var, viewer)}}`` also reads the fragment's
``$agency`` as ``viewer`` (a variable, or ``null`` for everyone), for one statement that decides for
several readers. Every ``$param`` the
body uses must be declared and every declared one used; the catalogue fails at load otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphapi import resources
from graphapi.ontology import ENTITY, OntologyError, load_model
from graphapi.store.errors import StatementError

DEFAULT_ROOT = resources.CYPHER
DIALECTS = ("neo4j", "falkordb")
MODES = ("read", "write", "schema", "prelude")
#: The prelude a write lease holder's writes run behind (``StatementCatalog.fenced``).
WRITE_FENCE = "ingest/write_fence"
PLACEHOLDER_KINDS = ("label", "labels", "relationship", "property")
_NULL_FREE = "map[no nulls]"  # a map type whose values are never null (Statement.null_free)

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")  # a $parameter of a statement
_FRAGMENT = re.compile(r"\{\{(\w+)\(([^{}]+?)\)\}\}")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_VIEWER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a fragment's viewer: a variable (or null)
_HEADER_PARAM = re.compile(r"^param\s+\$(\w+)\s*:\s*(.*)$")
_HEADER_PLACEHOLDER = re.compile(r"^placeholder\s+(\w+)\s*:\s*(\w+)\s*$")


@dataclass(frozen=True)
class Statement:
    """One loaded statement: its name, dialect source, mode, declared params and body."""

    name: str
    path: Path
    mode: str
    summary: str
    params: dict[str, str]
    placeholders: dict[str, str]
    template: str
    #: ``(param, field)`` of each map declared ``map[no nulls]`` (field None: the param itself):
    #: the maps a ``SET x += map`` takes, which FalkorDB#1787 forbids to remove two properties
    #: (tests/store/test_one_removal_per_update.py); :meth:`refuse_nulls` checks what is sent.
    null_free: tuple[tuple[str, str | None], ...] = ()

    def render(self, **values: str) -> str:
        """The Cypher text with placeholders filled from the ontology allow-list.

        Raises :class:`StatementError` for a missing or extra placeholder and
        :class:`OntologyError` for a value outside the allow-list.
        """
        missing = set(self.placeholders) - set(values)
        extra = set(values) - set(self.placeholders)
        if missing or extra:
            raise StatementError(
                f"{self.name}: placeholders missing {sorted(missing)} / unexpected {sorted(extra)}"
            )
        if not self.placeholders:
            return self.template
        filled = {k: _allowed(self.placeholders[k], v) for k, v in values.items()}
        return _PLACEHOLDER.sub(lambda m: filled[m.group(1)], self.template)

    def refuse_nulls(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """``params``, once checked: raises :class:`StatementError` if a ``map[no nulls]``
        parameter holds a null."""
        for param, field in self.null_free:
            value = params.get(param)
            maps = [value] if field is None else [row.get(field) for row in value or ()]
            if any(m and None in m.values() for m in maps):
                raise StatementError(f"{self.name}: ${param}{'.' + field if field else ''} holds a null: "
                                     "send removals apart (FalkorDB#1787, docs/architecture.md)")
        return params

    def after(self, prelude: Statement) -> Statement:
        """This statement run behind ``prelude`` (clauses ending in ``WITH``) in the same query:
        when the prelude yields no row, the statement reads and writes nothing."""
        if prelude.mode != "prelude":
            raise StatementError(f"{prelude.name} is not a prelude (mode {prelude.mode})")
        if set(prelude.params) & set(self.params) or set(prelude.placeholders) & set(self.placeholders):
            raise StatementError(f"{self.name} shares a parameter name with {prelude.name}")
        return Statement(f"{self.name} after {prelude.name}", self.path, self.mode, self.summary,
                         {**prelude.params, **self.params}, self.placeholders,
                         prelude.template + "\n" + self.template, prelude.null_free + self.null_free)


def _allowed(kind: str, value: str) -> str:
    model = load_model()
    if kind == "label":
        return model.label(value).name
    if kind == "labels":
        return ":".join(model.label(value).labels)
    if kind == "relationship":
        return model.relationship(value).name
    if kind == "property":
        names = {p for lb in model.labels.values() for p in lb.properties}
        names |= {p for rt in model.relationships.values() for p in rt.properties}
        names |= set(model.provenance)
        if value not in names:
            raise OntologyError(f"unknown property {value!r}")
        return value
    raise StatementError(f"unknown placeholder kind {kind!r}")


def _expand_fragments(body: str, root: Path, dialect: str, name: str) -> str:
    def splice(m: re.Match[str]) -> str:
        fragment, args = m.group(1), [a.strip() for a in m.group(2).split(",")]
        if len(args) > 2 or not all(args) or not all(map(_VIEWER.fullmatch, args[1:])):
            raise StatementError(f"{name}: {m.group(0)} takes an item and at most a viewer variable or null")
        var = args[0]
        for folder in (root / dialect / "fragments", root / "fragments"):
            path = folder / f"{fragment}.fragment"
            if path.exists():
                text = "\n".join(
                    ln for ln in path.read_text(encoding="utf-8").splitlines()
                    if not ln.lstrip().startswith("//")
                ).strip()
                # a fragment may splice others (the victim rule splices visibility)
                text = _expand_fragments(re.sub(r"\bITEM\b", var, text), root, dialect, name)
                if len(args) == 2:  # the viewer, all the way down
                    text = re.sub(r"\$agency\b", args[1], text)
                return "(" + text + ")"
        raise StatementError(f"{name}: unknown fragment {fragment!r}")

    return _FRAGMENT.sub(splice, body)


def parse_statement(name: str, path: Path, root: Path, dialect: str) -> Statement:
    """Parse one ``.cypher`` file. Raises :class:`StatementError` on a malformed header."""
    summary, mode = "", ""
    params: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    body_lines: list[str] = []
    types: dict[str, str] = {}  # each param's whole declaration, continuation lines too
    last = None
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            text = stripped[2:].strip()
            if last is not None and stripped.startswith("//   "):
                types[last] += " " + text
                continue
            last = None
            if text.startswith("mode:"):
                mode = text.split(":", 1)[1].strip()
            elif m := _HEADER_PARAM.match(text):
                params[m.group(1)] = m.group(2).strip()
                last, types[m.group(1)] = m.group(1), m.group(2)
            elif m := _HEADER_PLACEHOLDER.match(text):
                placeholders[m.group(1)] = m.group(2)
            elif not summary and text:
                summary = text
            continue
        if in_header and not stripped:
            continue
        in_header = False
        body_lines.append(line)
    if mode not in MODES:
        raise StatementError(f"{path}: header needs 'mode:' one of {MODES}, got {mode!r}")
    for ph, kind in placeholders.items():
        if kind not in PLACEHOLDER_KINDS:
            raise StatementError(f"{path}: placeholder {ph} has unknown kind {kind!r}")
    body = _expand_fragments("\n".join(body_lines).strip(), root, dialect, name)
    if not body:
        raise StatementError(f"{path}: empty statement")
    used = set(PARAMETER.findall(re.sub(r"//[^\n]*", "", body)))
    if used != set(params):
        raise StatementError(
            f"{path}: params used but not declared {sorted(used - set(params))}, "
            f"declared but not used {sorted(set(params) - used)}"
        )
    used_ph = set(_PLACEHOLDER.findall(body))
    if used_ph != set(placeholders):
        raise StatementError(f"{path}: placeholders used {sorted(used_ph)} != declared {sorted(placeholders)}")
    return Statement(name, path, mode, summary, params, placeholders, body, _null_free(types))


def _null_free(types: dict[str, str]) -> tuple[tuple[str, str | None], ...]:
    """The ``(param, field)`` pairs declared ``map[no nulls]`` (``Statement.null_free``)."""
    found: list[tuple[str, str | None]] = []
    for param, text in types.items():
        declared = re.split(r"\s+-\s", text, maxsplit=1)[0]
        if declared.startswith(_NULL_FREE):
            found.append((param, None))
        found += [(param, field) for field in re.findall(r"(\w+)\s*:\s*" + re.escape(_NULL_FREE), declared)]
    return tuple(found)


class StatementCatalog:
    """All statements for one dialect, loaded and checked up front.

    ``catalog[name]`` returns the dialect override if one exists, else the shared statement.
    Raises :class:`StatementError` for an unknown name.
    """

    def __init__(self, dialect: str, root: Path = DEFAULT_ROOT) -> None:
        if dialect not in DIALECTS:
            raise StatementError(f"unknown dialect {dialect!r}")
        self.dialect = dialect
        self.root = root
        self._statements: dict[str, Statement] = {}
        self._fenced: dict[str, Statement] = {}
        for path in sorted(root.rglob("*.cypher")):
            rel = path.relative_to(root)
            if rel.parts[0] in DIALECTS:
                if rel.parts[0] != dialect:
                    continue
                rel = Path(*rel.parts[1:])
                override = True
            else:
                override = False
            name = rel.with_suffix("").as_posix()
            if name in self._statements and not override:
                continue
            self._statements[name] = parse_statement(name, path, root, dialect)

    def __getitem__(self, name: str) -> Statement:
        try:
            return self._statements[name]
        except KeyError:
            raise StatementError(f"no statement named {name!r} in {self.root}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._statements

    def fenced(self, name: str) -> Statement:
        """Write statement ``name`` behind the write lease's fence (:data:`WRITE_FENCE`)."""
        if (kept := self._fenced.get(name)) is None:
            statement = self[name]
            if statement.mode != "write":
                raise StatementError(f"{name} is a {statement.mode} statement; only writes are fenced")
            kept = self._fenced[name] = statement.after(self[WRITE_FENCE])
        return kept

    def names(self) -> list[str]:
        """All statement names, sorted."""
        return sorted(self._statements)

    def __iter__(self):
        return iter(self._statements[n] for n in self.names())


@cache
def catalog(dialect: str, root: Path = DEFAULT_ROOT) -> StatementCatalog:
    """The cached catalogue for ``dialect``."""
    return StatementCatalog(dialect, root)


__all__ = ["ENTITY", "Statement", "StatementCatalog", "catalog", "parse_statement"]
