"""One line of an FollowTheMoney file, parsed (graphapi.ingest.readers.ftm reads the files): an
entity, or a delta operation ``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}``, and the reason to
reject it, if any. A rejected line is still parsed as far as it can be: the entity it names may
name links (``FtmReader._rejected``)."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.readers.base import MAX_FIELD_CHARS, unsafe_text
from graphapi.ingest.readers.ftm_entity import entity_problem, longest_value
from graphapi.json_limits import JsonLimitError, loads_bounded

#: A delta line's op -> the record op it makes
OPS = {"ADD": "merge", "MOD": "replace", "DEL": "delete"}


def parse_line(line_no: int, line: str) -> tuple[int, Any, Any, str, str | None]:
    """``(line, raw, entity, op, problem)`` of one non-blank line of an FtM file: ``raw`` the whole
    line as read (parsed JSON, or the text if it does not parse), ``entity`` the entity in it (a
    rejected line's too, if it parses as one with a known op: it may name links, see
    ``FtmReader._rejected``), ``op`` merge | replace | delete, ``problem`` the reason to reject the
    line or ``None``."""
    problem = unsafe_text([line]) or ("NUL character in a value" if "\\u0000" in line else None)
    if problem:  # a NUL (raw or JSON-escaped), or bytes that are not UTF-8
        return line_no, line.rstrip("\n"), *_said(_parsed(line)), problem  # the links it names
    try:  # nesting and number size bounded: such a line is rejected, never aborts the file
        doc = loads_bounded(line)
    except JsonLimitError as exc:
        return line_no, line.rstrip("\n"), None, "merge", str(exc)
    except ValueError:
        return line_no, line.rstrip("\n"), None, "merge", "not a JSON FtM entity or delta operation"
    if len(line) > MAX_FIELD_CHARS and longest_value(doc) > MAX_FIELD_CHARS:
        return line_no, line[:1000], *_said(doc), f"a value over {MAX_FIELD_CHARS:,} characters"
    if isinstance(doc, dict) and "op" in doc and "entity" in doc:
        op = OPS.get(str(doc["op"]).upper())
        if op is None:  # no operation it is known to say: it names no link
            return line_no, doc, None, "merge", f"unknown delta op {doc['op']!r}"
        return line_no, doc, doc["entity"], op, entity_problem(doc["entity"])
    if isinstance(doc, dict) and "op" in doc:  # a delta line in the wrong shape: never an ADD
        return line_no, doc, None, "merge", (f"FtM delta operation {_short_op(doc['op'])} without "
                                             "\"entity\" (write {\"op\": ..., \"entity\": {...}})")
    return line_no, doc, doc, "merge", entity_problem(doc)


def _parsed(line: str) -> Any:
    """A rejected line parsed (None if it does not parse): the links it names (:func:`_said`)."""
    try:
        return loads_bounded(line)
    except ValueError:  # JsonLimitError too
        return None


def _said(doc: Any) -> tuple[Any, str]:
    """``(entity, op)`` of a parsed line: the entity it names and its op, or None (no entity, or
    an op that is not known) and merge."""
    if isinstance(doc, dict) and "op" in doc:
        op = OPS.get(str(doc["op"]).upper()) if "entity" in doc else None
        return (doc["entity"], op) if op is not None else (None, "merge")
    return doc, "merge"


def _short_op(op: object) -> str:
    return repr(op)[:40]
