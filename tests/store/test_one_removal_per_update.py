"""No update of one entity may remove more than one of its properties (FalkorDB#1787).

The embedded FalkorDB (4.16) removes the WRONG property in about a third of the updates that
remove two or more properties of one node or relationship at once: ``{a, b, c, d}`` with
``SET n.b = null, n.d = null`` became ``{a, d}``. One update is one SET / REMOVE chain (the
items of one SET, and consecutive SET / REMOVE clauses with no other clause between them).
With at most one removal per update it was right in 3,000 random updates out of 3,000; so it
was with a WITH between two removals, with ``SET n = map`` and with each UNWIND row removing one.

The convention, checked here over every statement of both dialects (docs/architecture.md,
"FalkorDB trap"): per chain and per entity variable, at most ONE item that may remove a property:

* ``REMOVE v.p``, ``SET v = map`` and ``SET v.p = expr`` where ``expr`` may be null. An
  expression is known not null when it is a literal, a list or map literal, a ``$param`` or
  ``row.field`` (``UNWIND $param AS row``) whose header type has no ``|null``, ``coalesce``
  with such an argument, a CASE whose every branch is such (or ``v.p`` itself: it keeps the
  value), arithmetic of such, a list comprehension over such, or a WITH alias of such.
* ``SET v += map`` counts each value that may be null. A ``$param`` / ``row.field`` map must
  be declared ``map[no nulls]`` in the header (the store refuses a null in it before sending,
  ``Statement.null_free_maps``); any other map parameter is taken as holding several nulls.
* An entity the CREATE just before the chain made has nothing to lose and is not counted.

Separate two removals with ``WITH v, row``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_set_chains import _BREAKERS, _KEYWORD, _code, _items

from graphapi.resources import CYPHER
from graphapi.store.errors import StatementError
from graphapi.store.statements import StatementCatalog

_LITERAL = re.compile(r"^(''|-?\d+(\.\d+)?|true|false)$", re.I)
_NAME = r"[A-Za-z_]\w*"
#: Functions never null: aggregates included (collect of nothing is [], count and sum of nothing 0).
_ALWAYS = {"timestamp", "range", "keys", "labels", "randomuuid", "properties", "size", "collect", "count", "sum"}
#: Written twice: a map parameter that may hold nulls can remove any number of properties.
_MANY = 2


def _split(text: str, seps: tuple[str, ...]) -> list[str]:
    """``text`` split at top level (outside brackets and CASE ... END) on any of ``seps`` (words
    as whole words)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        word = None if i and re.match(r"\w", text[i - 1]) else re.match(r"(CASE|END)(?!\w)", text[i:])
        if word is not None:  # CASE ... END brackets its branches
            depth += 1 if word.group(1) == "CASE" else -1
            i += len(word.group(1))
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            for sep in seps:
                after = text[i + len(sep):i + len(sep) + 1] or " "
                whole = not sep.strip().isalpha() or (re.match(r"\W", text[i - 1:i] or " ") and re.match(r"\W", after))
                if text.startswith(sep, i) and whole:
                    parts.append(text[start:i])
                    i += len(sep)
                    start = i
                    break
            else:
                i += 1
            continue
        i += 1
    return [*parts, text[start:]]


def _unwrap(expr: str) -> str:
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")") and _split(expr[1:-1], (")",)) == [expr[1:-1]]:
        expr = expr[1:-1].strip()
    return expr


class _Nulls:
    """Which expressions of one statement may be null (see the module's convention)."""

    def __init__(self, params: dict[str, str], code: str) -> None:
        self.types = {f"${name}": re.split(r"\s+-\s", text, maxsplit=1)[0].strip() for name, text in params.items()}
        self.rows = dict(re.findall(rf"UNWIND\s+(\$\w+)\s+AS\s+({_NAME})", code))
        self.rows = {alias: param for param, alias in self.rows.items()}
        self.aliases: dict[str, bool] = {}

    def type_of(self, expr: str) -> str | None:
        """The header type of ``$p`` or ``row.field`` (``UNWIND $p AS row``), else None."""
        if re.fullmatch(r"\$\w+", expr):
            return self.types.get(expr)
        if (m := re.fullmatch(rf"({_NAME})\.(\w+)", expr)) is not None and m.group(1) in self.rows:
            field = re.search(rf"[{{,]\s*{m.group(2)}\s*:\s*([^,}}]+(?:\[[^\]]*\][^,}}]*)?)",
                              self.types.get(self.rows[m.group(1)], ""))
            return field.group(1).strip() if field else None
        return None

    def sure(self, expr: str, target: str = "") -> bool:
        """``expr`` is never null (or is ``target`` itself, which keeps the stored value)."""
        expr = _unwrap(expr)
        if expr == target or _LITERAL.match(expr):
            return True
        if (declared := self.type_of(expr)) is not None:
            return "null" not in declared
        if re.fullmatch(_NAME, expr):
            return self.aliases.get(expr, False)
        if (m := re.fullmatch(rf"({_NAME})\[[^\]]*\.\.[^\]]*\]", expr)) is not None:
            return self.sure(m.group(1))  # a slice of a list that is there
        terms = _split(expr, (" + ", " - ", " * ", " / "))
        if len(terms) > 1:
            return all(self.sure(t) for t in terms)
        if expr.upper().startswith("CASE") and expr.upper().endswith("END"):
            body = expr[4:-3]
            if not re.search(r"\bELSE\b", body, re.I):
                return False
            branches = [p for p in _split(body, ("THEN", "ELSE", "WHEN"))[1:]]
            results = branches[1::2] + [branches[-1]]  # WHEN c THEN r ... ELSE r
            return all(self.sure(r, target) for r in results)
        if (m := re.fullmatch(r"coalesce\s*\((.*)\)", expr, re.S | re.I)) is not None:
            return any(self.sure(a) for a in _split(m.group(1), (",",)))
        if (m := re.fullmatch(r"(\w+)\s*\((.*)\)", expr, re.S)) is not None:
            return m.group(1).lower() in _ALWAYS
        if expr.startswith("[") and expr.endswith("]"):
            inner = expr[1:-1]
            if (m := re.match(rf"\s*{_NAME}\s+IN\s+(.*)$", inner, re.S)) is not None:
                source = re.split(r"\s(?:WHERE|\|)\s", m.group(1), maxsplit=1)[0]
                return self.sure(source)
            return True
        return expr.startswith("{") and expr.endswith("}")

    def map_removals(self, expr: str) -> int:
        """How many properties ``SET v += expr`` may remove."""
        expr = _unwrap(expr)
        if expr.startswith("{") and expr.endswith("}"):
            values = [p.split(":", 1)[1] for p in _split(expr[1:-1], (",",)) if ":" in p]
            return sum(not self.sure(v) for v in values)
        if (declared := self.type_of(expr)) is not None:
            return 0 if declared == "map[no nulls]" else _MANY
        if expr.upper().startswith("CASE") and expr.upper().endswith("END"):
            parts = _split(expr[4:-3], ("THEN", "ELSE", "WHEN"))[1:]
            return max(self.map_removals(r) for r in parts[1::2] + [parts[-1]])
        return _MANY

    def learn(self, with_clause: str) -> None:
        """Record which aliases ``WITH a AS b, ...`` binds to never-null values."""
        for item in _split(with_clause, (",",)):
            item = _split(item, ("WHERE",))[0]
            if (m := re.fullmatch(rf"\s*(.*?)\s+AS\s+({_NAME})\s*", item, re.S)) is not None:
                self.aliases[m.group(2)] = self.sure(m.group(1))


def _created(clause: str) -> set[str]:
    """The variables a CREATE clause makes (with a label, a type or properties: new ones)."""
    return set(re.findall(rf"[\[(]\s*({_NAME})\s*[:{{]", clause))


def header_params(path: Path) -> dict[str, str]:
    """``{name: "type - text"}`` of a statement file's ``// param`` lines, with their continuation
    lines (``Statement.params`` keeps the first line only, and a row's later fields with it)."""
    params: dict[str, str] = {}
    name = None
    for line in path.read_text().splitlines():
        if (m := re.match(r"//\s*param\s+\$(\w+)\s*:\s*(.*)$", line)) is not None:
            name, params[m.group(1)] = m.group(1), m.group(2)
        elif name is not None and line.startswith("//   "):
            params[name] += " " + line[2:].strip()
        else:
            name = None
    return params


def double_removals(template: str, params: dict[str, str] | None = None) -> list[str]:
    """``var`` for each SET / REMOVE chain of ``template`` that may remove two properties of it
    (``params``: the header's ``{name: "type - text"}``, as :func:`header_params`)."""
    code = re.sub(r"\{\{(\w+)\}\}", r"\1", _code(template))
    nulls = _Nulls(params or {}, code)
    marks = list(_KEYWORD.finditer(code))
    found: list[str] = []
    counts: dict[str, int] = {}
    fresh: set[str] = set()
    for i, mark in enumerate(marks):
        keyword = mark.group(1)
        clause = code[mark.end():marks[i + 1].start() if i + 1 < len(marks) else len(code)]
        if keyword in _BREAKERS:
            found += sorted(v for v, n in counts.items() if n > 1)
            counts = {}
            fresh = _created(clause) if keyword == "CREATE" else set()
            if keyword == "WITH":
                nulls.learn(clause)
            continue
        for item in _items(clause):
            item = item.strip().rstrip(")").strip()
            if keyword == "REMOVE":
                if (m := re.match(rf"({_NAME})\s*\.", item)) is not None:
                    counts[m.group(1)] = counts.get(m.group(1), 0) + 1
                continue
            m = re.match(rf"^({_NAME})\s*(?:\.\s*({_NAME}))?\s*(\+=|=|:)(.*)$", item, re.S)
            if m is None or m.group(3) == ":":
                continue  # a label
            var, prop, op, expression = m.groups()
            if op == "+=":
                removes = nulls.map_removals(expression)
            elif prop is None:
                removes = 1  # SET v = map: whatever it lacks goes
            else:
                removes = 0 if nulls.sure(expression, f"{var}.{prop}") else 1
            if var not in fresh:
                counts[var] = counts.get(var, 0) + removes
    return found + sorted(v for v, n in counts.items() if n > 1)


@pytest.mark.parametrize("dialect", ["falkordb", "neo4j"])
def test_no_update_of_a_statement_may_remove_two_properties_of_one_entity(dialect):
    # Neo4j's own statements (cypher/neo4j/) are not checked: Neo4j removes the right ones, and
    # its add_relationships MERGEs what FalkorDB's CREATEs
    checked = [s for s in StatementCatalog(dialect) if "neo4j" not in s.path.relative_to(CYPHER).parts[:1]]
    offenders = {s.name: double_removals(s.template, header_params(s.path)) for s in checked}
    assert {name: found for name, found in offenders.items() if found} == {}


_ROWS = {"rows": "list[{id: str, owner: str, sharedWith: list[str]|null, props: map, kept: map[no nulls]}] - rows"}


def test_two_nullable_values_or_removals_in_one_chain_are_found():
    assert double_removals("UNWIND $rows AS row MATCH (n) SET n.a = null, n.b = null", _ROWS) == ["n"]
    assert double_removals("UNWIND $rows AS row MATCH (n) SET n.s = row.sharedWith REMOVE n.digest", _ROWS) == ["n"]
    assert double_removals("MATCH (n) REMOVE n.a REMOVE n.b RETURN n") == ["n"]
    assert double_removals("MATCH ()-[r]->() SET r = $props REMOVE r.digest") == ["r"]


def test_a_map_that_may_hold_nulls_is_found_alone():
    assert double_removals("UNWIND $rows AS row MATCH (n) SET n += row.props", _ROWS) == ["n"]
    assert double_removals("MATCH (n) SET n += {a: null, b: $x}") == ["n"]


def test_one_removal_per_chain_is_allowed():
    rows = "UNWIND $rows AS row MATCH (n) "
    assert double_removals(rows + "SET n.owner = row.owner, n.s = row.sharedWith, n += row.kept", _ROWS) == []
    assert double_removals(rows + "SET n.a = null WITH n, row SET n.s = row.sharedWith", _ROWS) == []
    assert double_removals(rows + "SET n.t = CASE WHEN n.t = 'A' THEN row.owner ELSE n.t END REMOVE n.digest",
                           _ROWS) == []
    assert double_removals("MATCH (n) WITH n, coalesce(n.q, []) AS q SET n.q = q[1..], n.x = timestamp() + 1") == []


def test_an_entity_just_created_is_not_counted():
    assert double_removals("UNWIND $rows AS row MATCH (a), (b) CREATE (a)-[r:T {id: row.id}]->(b) "
                                   "SET r += row.props REMOVE r.digest", _ROWS) == []


def test_a_null_in_a_map_declared_without_nulls_is_refused_before_it_is_sent():
    update = StatementCatalog("falkordb")["ingest/update_nodes"]
    assert update.null_free == (("rows", "props"),)
    with pytest.raises(StatementError, match=r"\$rows\.props holds a null"):
        update.refuse_nulls({"rows": [{"id": "p-1", "props": {"name": "x"}}, {"id": "p-2", "props": {"tlp": None}}]})
    assert update.refuse_nulls({"rows": [{"id": "p-1", "props": {"name": "x"}}]})
