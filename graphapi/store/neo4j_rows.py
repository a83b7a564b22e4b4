"""A statement's rows as one record: ``CALL { statement } RETURN collect([columns]) AS lintas_rows``.

The async Neo4j driver reads every record as its own Bolt message, each chunk with its own
awaited socket read: ~85 µs of client CPU a record on this 2-core machine (a 5,000-row reply
took 440 ms of CPU and ~1 s of wall; the same values collected into one list, 3 ms). A loader
batch answers a row per input row, so the client, not the server, was the limit. Wrapping a
statement so that the server collects its rows into one list (in the order the statement
produced them: an ``ORDER BY`` inside still orders the list) costs the server nothing measurable.

The columns come from the statement's last top-level ``RETURN`` (each item aliased with ``AS``
or a bare variable); a statement whose columns cannot be read that way, or that cannot stand
in a subquery (no ``RETURN``, ``SHOW``, schema commands), runs as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: The column the wrapped statement returns its rows in (no statement's own column is named so).
ROWS = "lintas_rows"

_COMMENT = re.compile(r"//[^\n]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IDENT = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)$")
_CLAUSE_END = ("ORDER", "SKIP", "LIMIT", "UNION")
_NOT_IN_SUBQUERY = ("SHOW", "CREATE INDEX", "CREATE CONSTRAINT", "CREATE FULLTEXT", "DROP ", "USE ")


@dataclass(frozen=True)
class Collected:
    """A statement rewritten to answer one record: ``text`` runs it, ``columns`` name the values
    of each row in the ``rows`` list."""

    text: str
    columns: tuple[str, ...]


def _closing_quote(text: str, start: int) -> int:
    """Where the string or quoted name opened at ``start`` closes (``len(text)`` if it does not);
    a backslash escapes inside '...' and "...", not inside `...`."""
    quote, end, n = text[start], start + 1, len(text)
    while end < n and text[end] != quote:
        end += 2 if text[end] == "\\" and quote != "`" else 1
    return end


def _top_level_tokens(text: str) -> list[tuple[int, str, int]]:
    """(position, word, nesting depth) of every word outside strings and comments."""
    out: list[tuple[int, str, int]] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            i = _closing_quote(text, i) + 1
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif c in "([{":
            depth += 1
            i += 1
        elif c in ")]}":
            depth -= 1
            i += 1
        elif m := _WORD.match(text, i):
            out.append((i, m.group(0), depth))
            i = m.end()
        else:
            i += 1
    return out


def _split_items(text: str) -> list[str]:
    """Split a RETURN item list on its top-level commas."""
    items, depth, start, i, n = [], 0, 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            i = _closing_quote(text, i)
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
        i += 1
    items.append(text[start:])
    return [it.strip() for it in items]


def return_columns(text: str) -> tuple[str, ...] | None:
    """The column names of the statement's last top-level RETURN, or None if it has none or an
    item is neither aliased (``expr AS name``) nor a bare variable."""
    tokens = _top_level_tokens(text)
    returns = [k for k, (_, word, depth) in enumerate(tokens) if depth == 0 and word.upper() == "RETURN"]
    if not returns:
        return None
    k = returns[-1]
    start = tokens[k][0] + len("RETURN")
    end = len(text)
    for pos, word, depth in tokens[k + 1:]:
        if depth == 0 and word.upper() in _CLAUSE_END:
            end = pos
            break
    body = text[start:end].strip()
    if body.upper().startswith("DISTINCT "):
        body = body[len("DISTINCT "):]
    columns = []
    for item in _split_items(_COMMENT.sub("", body)):
        alias = [(pos, word) for pos, word, depth in _top_level_tokens(item) if depth == 0]
        if len(alias) >= 2 and alias[-2][1].upper() == "AS":
            name = item[alias[-1][0]:].strip()
        else:
            name = item
        if not _IDENT.match(name):
            return None
        columns.append(name.strip("`"))
    return tuple(columns) if columns else None


@lru_cache(maxsize=4096)
def collected(text: str) -> Collected | None:
    """``text`` rewritten to return its rows as one list, or None if it must run as it is."""
    upper = text.lstrip().upper()
    if any(upper.startswith(p) for p in _NOT_IN_SUBQUERY):
        return None
    columns = return_columns(text)
    if columns is None or ROWS in columns:
        return None
    values = ", ".join(f"`{c}`" for c in columns)
    return Collected(f"CALL {{\n{text}\n}}\nRETURN collect([{values}]) AS {ROWS}", columns)
