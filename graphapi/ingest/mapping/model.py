"""A mapping file and its checks against the ontology, before any row is read
(see ``docs/mappings.md``)."""

from __future__ import annotations

import logging
import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graphapi import resources
from graphapi.ingest.mapping.checks import check_specs
from graphapi.ingest.mapping.document import read_mapping_yaml
from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.order import compile_order
from graphapi.ingest.mapping.templates import _template_fields
from graphapi.ontology import Model, OntologyError, kept_by_loader, load_model

MAPPINGS = resources.SEED / "mappings"
log = logging.getLogger(__name__)
#: What ``load_mapping`` raises for a file that is no YAML mapping document (not UTF-8, not YAML,
#: nested too deep, a scalar or list where ``entities`` / ``relationships`` should be): the CLI
#: and the upload path each word it for their caller.
UNREADABLE_MAPPING = (yaml.YAMLError, UnicodeDecodeError, AttributeError, TypeError, KeyError, RecursionError)


def why_unreadable(exc: BaseException) -> str:
    """Why a file is no mapping, for one of :data:`UNREADABLE_MAPPING` (a line, no traceback)."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, RecursionError):
        return "YAML nested too deep"
    if isinstance(exc, yaml.YAMLError):
        return f"not YAML: {str(exc).splitlines()[0]}"
    return "not a YAML document with `entities` and `relationships`"


def _templates_in_doc(doc: Any) -> list[str]:
    """Every ``template`` and relationship ``key`` anywhere in a mapping document."""
    if isinstance(doc, dict):
        return [str(v) for k, v in doc.items() if k in ("template", "key") and isinstance(v, str)] + [
            t for k, v in doc.items() if k not in ("template", "key") for t in _templates_in_doc(v)]
    if isinstance(doc, list):
        return [t for v in doc for t in _templates_in_doc(v)]
    return []


#: template fields and columns that are no column of the file: the file's name, the row's
#: physical line and the SHA-256 of the file's content (row identity for feeds with no record
#: id: ``{_file}:{_line}`` for a growing log, ``{_sha256}:{_line}`` for exports; docs/mappings.md)
ROW_IDENTITY = frozenset({"_file", "_line", "_sha256"})


#: why a mapping may not write a property the loader keeps itself (a constant heldApart took an
#: agency's RED persons out of hit / no-hit and let another agency take them over: round 32, item 3)
_KEPT = "{} is kept by the loader itself (ontology.LOADER_KEPT or internal); a mapping may not write it"

_SOURCES = frozenset({"column", "value", "template", "concat"})


def _columns_in(doc: Any) -> set[str]:
    """Every column a mapping reads: ``{column: X}`` specs and conditions, ``{concat: [X, ...]}``
    specs and ``{X}`` fields of templates and keys (not the row identity, ``_file``/``_line``/``_sha256``)."""
    return _read_columns(doc) - ROW_IDENTITY


def _read_columns(doc: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "column" and isinstance(v, str):
                found.add(v)
            elif k == "concat" and isinstance(v, list):
                found.update(str(c) for c in v)
            elif k in ("template", "key") and isinstance(v, str):
                found.update(f for _, f, _, _ in string.Formatter().parse(v) if f)
            elif k == "columns" and "entities" in doc:  # per-column rules read no column of their own
                continue
            elif k == "map" and _SOURCES & doc.keys():  # nor do a value map's words
                continue
            else:
                found |= _read_columns(v)
    elif isinstance(doc, list):
        for v in doc:
            found |= _read_columns(v)
    return found


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping (see the module docstring); build it with :func:`load_mapping`."""

    name: str
    path: Path
    doc: dict[str, Any]

    @property
    def entities(self) -> dict[str, dict[str, Any]]:
        return self.doc.get("entities") or {}

    @property
    def relationships(self) -> list[dict[str, Any]]:
        return self.doc.get("relationships") or []

    @property
    def source(self) -> str:
        """The dataset id of what the mapping loads: its ``source``, else its name."""
        return self.doc.get("source") or self.name


#: Deployment mappings already logged as left out: not a file; or (file, the mapping that holds its name).
_UNREADABLE_SAID: set[Path] = set()
_CLASHES_SAID: set[tuple[Path, Path]] = set()


def named_mappings() -> dict[str, Path]:
    """The mappings known by name: name -> file. The shipped ones of ``seed/mappings`` by their
    stem (``cdr``) and its partner layouts as ``partners/<stem>``; then a deployment's own, the
    ``*.yaml`` of the ``LINTAS_MAPPINGS`` directories (``:``-separated), by their stem, so that a
    partner's layout can be uploaded over HTTP by name without editing the installed package
    (new-user report). A deployment's file whose name is already taken is left out, said in the
    log (raised, it broke every upload and showed the server's paths to every agency: attack
    round 14, M4), once per process: the API asks at start, so the log says it then."""
    named = {p.stem: p for p in sorted(MAPPINGS.glob("*.yaml"))}
    named |= {f"partners/{p.stem}": p for p in sorted(MAPPINGS.glob("partners/*.yaml"))}
    for folder in filter(None, os.environ.get("LINTAS_MAPPINGS", "").split(":")):
        for p in sorted(Path(folder).glob("*.yaml")):
            if not p.is_file():  # a folder or a dangling link: its path would be all a caller is told (M4c)
                if p not in _UNREADABLE_SAID:
                    _UNREADABLE_SAID.add(p)
                    log.warning("LINTAS_MAPPINGS: %s is left out: not a readable file", p)
                continue
            taken = named.get(p.stem) or named.get(f"partners/{p.stem}")
            if taken is not None:
                if (p, taken) not in _CLASHES_SAID:  # once per process, not once per upload
                    _CLASHES_SAID.add((p, taken))
                    log.warning("LINTAS_MAPPINGS: %s is left out: it is named %r, as %s is; rename the file",
                                p, p.stem, taken)
                continue
            named[p.stem] = p
    return named


def _mapping_file(path: Path | str) -> Path:
    """``path`` itself if it is a file, else the mapping of that name (:func:`named_mappings`:
    ``cdr``, a partner layout ``crossings-tm`` or ``partners/crossings-tm``, a deployment's
    own). Raises :class:`MappingError` naming the known ones when it is neither."""
    p = Path(path)
    if p.is_file():
        return p
    named = named_mappings()
    for name in (str(path), f"partners/{path}"):
        if name in named:
            return named[name]
    raise MappingError(f"no mapping {str(path)!r}: not a file, and not a known mapping "
                       f"(one of {', '.join(named)})")


def load_mapping(path: Path | str, model: Model | None = None) -> Mapping:
    """Read and check a mapping file. ``path`` may be the name of a shipped mapping in
    ``seed/mappings`` (or its ``partners/`` layouts).

    Raises :class:`MappingError` for unknown labels, properties, relationship types or entity
    names, for relationships the ontology does not allow between the two labels, and (naming the
    place) for value specs, steps, value maps, conditions and per-column rules the language does
    not have or cannot compile (:func:`check_specs`), and for date ``order`` rules that name no
    date of the mapping (:func:`~graphapi.ingest.mapping.order.compile_order`).
    """
    model = model or load_model()
    p = _mapping_file(path)
    try:
        doc = read_mapping_yaml(p.read_text(encoding="utf-8")) or {}
    except MappingError as exc:  # an alias bomb: refused before the checks walk it
        raise MappingError(f"{p.name}: {exc}") from None
    name = doc.get("name") or p.stem
    ents = doc.get("entities") or {}
    if not ents:  # it would read every row and write nothing
        raise MappingError(f"{p.name}: the mapping has no entities")
    for template in _templates_in_doc(doc):
        try:
            _template_fields(template)
        except MappingError as exc:
            raise MappingError(f"{p.name}: {exc}") from None
    for ename, spec in ents.items():
        try:
            lb = model.label(spec["label"])
        except (KeyError, OntologyError) as exc:
            raise MappingError(f"{p.name}: entity {ename}: {exc}") from None
        for prop in spec.get("properties") or {}:
            if prop not in lb.properties:
                raise MappingError(f"{p.name}: entity {ename}: {lb.name} has no property {prop!r}")
            if kept_by_loader(lb.properties, prop):
                raise MappingError(f"{p.name}: entity {ename}: {_KEPT.format(f'{lb.name}.{prop}')}")
        if lb.key == ("id",) and "id" not in spec:
            raise MappingError(f"{p.name}: entity {ename}: {lb.name} is keyed by id; give an id spec")
    for rel in doc.get("relationships") or []:
        try:
            rt = model.relationship(rel["type"])
        except (KeyError, OntologyError) as exc:
            raise MappingError(f"{p.name}: relationship {rel}: {exc}") from None
        for end in ("from", "to"):
            if rel.get(end) not in ents:
                raise MappingError(f"{p.name}: {rt.name}.{end} names no entity: {rel.get(end)!r}")
        if not model.allows(rt.name, ents[rel["from"]]["label"], ents[rel["to"]]["label"]):
            raise MappingError(f"{p.name}: {rt.name} not allowed from {rel['from']} to {rel['to']}")
        for prop in rel.get("properties") or {}:
            if prop not in rt.properties:
                raise MappingError(f"{p.name}: {rt.name} has no property {prop!r}")
            if kept_by_loader(rt.properties, prop):
                raise MappingError(f"{p.name}: {_KEPT.format(f'{rt.name}.{prop}')}")
    try:
        check_specs(doc, _columns_in(doc))
        compile_order(doc, model)
    except MappingError as exc:
        raise MappingError(f"{p.name}: {exc}") from None
    return Mapping(name, p, doc)
