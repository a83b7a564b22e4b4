"""No SET reads a property that an earlier SET of the same clause chain wrote (attack round 31).

The embedded FalkorDB runs consecutive SET clauses (and the items of one SET) as one update,
evaluated on the values the entity had before it: ``SET n.tlp = 'GREEN' SET n.a = n.tlp`` stores
``a`` = the OLD tlp, where Neo4j stores 'GREEN'. ``SET n.searchAudience = {{search_audience(n)}}``
after ``SET n.tlp = ...`` kept every widened node's old search audience on FalkorDB only. A
``WITH`` between the two clauses makes the second read the new values on both backends.

The rule is checked over the rendered text of every statement of both dialects: within a chain
of SET / REMOVE clauses with no other clause between them, an expression may not read
``var.prop`` that an earlier item wrote (``var += map`` and ``var = map`` write every property).
"""

from __future__ import annotations

import re

import pytest

from graphapi.store.statements import StatementCatalog

#: Clauses that end a SET chain (a SET or REMOVE continues it). WHERE is absent: it also appears
#: inside list comprehensions, and as a clause it only follows one of these.
_BREAKERS = {"WITH", "RETURN", "MATCH", "MERGE", "UNWIND", "CALL", "CREATE", "DELETE", "FOREACH", "UNION"}
_KEYWORD = re.compile(r"\b(SET|REMOVE|" + "|".join(sorted(_BREAKERS)) + r")\b")
_READ = re.compile(r"\b([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)")
_WHOLE_READ = re.compile(r"\b(?:properties|keys)\s*\(\s*([A-Za-z_]\w*)\s*\)")
_ITEM = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\.\s*([A-Za-z_]\w*))?\s*(\+=|=|:)(.*)$", re.S)


def _code(text: str) -> str:
    """``text`` without comments and with every string literal emptied (no keyword hides in one)."""
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)


def _items(clause: str) -> list[str]:
    """The comma-separated items of one SET / REMOVE clause (commas inside brackets kept)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(clause):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            items.append(clause[start:i])
            start = i + 1
    return [*items, clause[start:]]


def stale_reads(text: str) -> list[str]:
    """Each ``var.prop`` a SET of ``text`` reads after an earlier SET of its chain wrote it."""
    code = _code(text)
    marks = list(_KEYWORD.finditer(code))
    found: list[str] = []
    written: set[tuple[str, str]] = set()
    for i, mark in enumerate(marks):
        keyword = mark.group(1)
        if keyword in _BREAKERS:
            written = set()
            continue
        clause = code[mark.end():marks[i + 1].start() if i + 1 < len(marks) else len(code)]
        for item in _items(clause):
            m = _ITEM.match(item)
            if keyword == "REMOVE":
                if (r := _READ.search(item)) is not None:
                    written.add((r.group(1), r.group(2)))
                continue
            if m is None or m.group(3) == ":":
                continue  # a label: no property written
            var, prop, expression = m.group(1), m.group(2), m.group(4)
            reads = {(v, p) for v, p in _READ.findall(expression)} | {(v, "*") for v in _WHOLE_READ.findall(expression)}
            for v, p in sorted(reads):
                if (v, p) in written or (v, "*") in written or (p == "*" and any(w == v for w, _ in written)):
                    found.append(f"{v}.{p}")
            written.add((var, prop or "*"))
    return found


@pytest.mark.parametrize("dialect", ["falkordb", "neo4j"])
def test_no_statement_reads_a_property_an_earlier_set_of_its_chain_wrote(dialect):
    offenders = {s.name: stale_reads(s.template) for s in StatementCatalog(dialect)}
    assert {name: reads for name, reads in offenders.items() if reads} == {}


def test_a_set_reading_what_the_set_before_it_wrote_is_found():
    assert stale_reads("MATCH (n) SET n.tlp = 'GREEN' SET n.a = n.tlp RETURN n") == ["n.tlp"]
    assert stale_reads("MATCH (n) SET n += $props\nSET n.a = coalesce(n.tlp, '') RETURN n") == ["n.tlp"]
    assert stale_reads("MATCH (n) SET n.tlp = 'GREEN', n.a = n.tlp") == ["n.tlp"]


def test_a_with_between_the_sets_or_a_read_of_the_old_value_is_not_found():
    assert stale_reads("MATCH (n) SET n.tlp = 'GREEN' WITH n SET n.a = n.tlp RETURN n") == []
    assert stale_reads("MATCH (n) SET n.s = [x IN n.s WHERE x <> 'a'], n.t = CASE WHEN n.t IS NULL THEN 1 END") == []
    assert stale_reads("MATCH (n) SET n.a = 'x.y // SET n.b = n.a'") == []
