"""FalkorDB's trap the Cypher lint refuses (tests/test_cypher_lint.py): an updating clause (SET,
REMOVE, CREATE, DELETE, FOREACH) followed by a ``WITH ... WHERE`` drops the update of every row the
WHERE filters out, as if the filter ran first (measured on the embedded server, attack round a-94,
1: ``provenance/unnote_keyed_lines`` SET a note's entries, then ``WITH ... WHERE size(keep) = 0
DELETE``, and every note keeping an entry kept them all). Neo4j runs the update for every row. A
later MATCH, OPTIONAL MATCH, UNWIND or an aggregating WITH drops none of them (measured too), so
only a WITH's own WHERE is refused; a WHERE nested in brackets (a list comprehension, a CALL
subquery, a fragment) is not the WITH's."""

from __future__ import annotations

import re

UPDATES = frozenset({"SET", "REMOVE", "CREATE", "DELETE", "FOREACH"})
#: The keywords that begin the clause after a WITH's projection (its WHERE, if any, comes first).
CLAUSES = frozenset({"MATCH", "OPTIONAL", "UNWIND", "SET", "REMOVE", "DELETE", "DETACH", "CREATE", "MERGE",
                     "RETURN", "WITH", "CALL", "FOREACH", "UNION"})
_AGGREGATES = re.compile(r"\b(count|collect|sum|min|max|avg)\s*\(", re.IGNORECASE)


def _code(body: str) -> str:
    """``body`` with its comments and string literals blanked (same offsets): a comment or string
    naming an aggregate (``// not a count()``, ``'collect('``) made a WITH look aggregating, and
    the lint let the filter after the update pass (attack round a-100, 3)."""
    body = re.sub(r"//[^\n]*", lambda m: " " * len(m.group()), body)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", lambda m: " " * len(m.group()), body)


def _words(body: str) -> list[tuple[str, int, int]]:
    """(word upper-cased, bracket depth, offset) of each word of ``body`` outside comments and strings."""
    body = _code(body)
    depth, out = 0, []
    for m in re.finditer(r"[\[\]{}()]|\b[A-Za-z_]\w*\b", body):
        t = m.group()
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        else:
            out.append((t.upper(), depth, m.start()))
    return out


def filtered_after_update(body: str) -> str | None:
    """The first ``WITH ... WHERE`` after an update in ``body`` (its text up to the WHERE), or None.
    A WITH that aggregates is a barrier: every row reaches it, the updates with them."""
    words, code = _words(body), _code(body)
    updated = False
    for i, (word, depth, at) in enumerate(words):
        if depth:
            continue
        updated = updated or word in UPDATES
        if word != "WITH" or not updated:
            continue
        for nxt, d, end in words[i + 1:]:
            if d:
                continue
            if nxt == "WHERE":
                projection = body[at:end]
                return None if _AGGREGATES.search(code[at:end]) else projection + "WHERE"
            if nxt in CLAUSES:
                break
    return None
