"""Every statement Neo4j runs passes Neo4j's own Cypher linter.

DESIGN.md, "Checking Cypher against Neo4j without a Neo4j server": the npm package
``@neo4j-cypher/language-support`` (pinned in ``tests/cypher_lint/package.json`` and
``package-lock.json``; installed by ``npm ci`` into ``tests/cypher_lint/node_modules`` when
missing) holds Neo4j's Cypher parser and semantic analysis. ``tests/cypher_lint/lint.mjs`` runs
``lintCypherQuery`` over a batch of statements in ONE node process. Its answers are kept between
runs by the hash of the linter, schema and statement (``tests/cypher_lint_cache.py``): only what
changed is linted again.

What is linted: the ``StatementCatalog("neo4j")`` view (shared files plus ``cypher/neo4j/``
overrides, never ``cypher/falkordb/``), each statement rendered with a plain label and the longest label chain for a
``label`` or ``labels`` placeholder and a representative relationship type or property key for a
``relationship`` or ``property`` one (placeholders advance together, so renderings = the longest
value list, not the product: each lint costs 0.1-0.5 s). The schema given to
the linter is the ontology's labels, relationship types and property keys, Neo4j's built-in
functions and the procedures in :data:`PROCEDURES`, so a misspelt name is a diagnostic too. For
statements without placeholders, the ontology's relationship endpoints are declared as well
(``graphSchema``): ``(:Phone)-[:HOLDS_ACCOUNT]->()`` is reported. A statement passes with zero
diagnostics, warnings (deprecations, unknown names) included; only "Parameter $x is not defined."
for a param the statement's header declares is ignored.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cypher_lint_cache as lint_cache
import pytest
from cypher_update_filter import filtered_after_update

from graphapi.ingest.pending_recounts import PENDING_RECOUNT_LABEL, PENDING_RECOUNT_PROPERTIES
from graphapi.ingest.pending_retractions import PENDING_LABEL, PENDING_PROPERTIES
from graphapi.ingest.statements import STATEMENT_LABEL, STATEMENT_PROPERTIES
from graphapi.ingest.write_lease import LEASE_LABEL, LEASE_PROPERTIES
from graphapi.ontology import Model, load_model
from graphapi.security.unshare_marks import PENDING_UNSHARE_LABEL, PENDING_UNSHARE_PROPERTIES
from graphapi.store.audience_repair import MARK_LABEL, MARK_PROPERTY
from graphapi.store.statements import DEFAULT_ROOT, WRITE_FENCE, Statement, StatementCatalog
from graphapi.store.victim_mark_repair import MARK_LABEL as MARKS_LABEL
from graphapi.store.victim_mark_repair import MARK_PROPERTY as MARKS_PROPERTY

LINT_DIR = Path(__file__).parent / "cypher_lint"
PACKAGE = "@neo4j-cypher/language-support"
#: The Cypher language Neo4j 5.x LTS and 2025.x run a query in unless it says otherwise.
CYPHER_VERSION = "CYPHER 5"
#: Procedures a statement may CALL: present on every Neo4j 5.x / 2025.x edition (no APOC, no GDS).
#: Adding one is a decision: Lintas must also work where the plugin providing it is missing.
PROCEDURES = (
    "db.awaitIndex",
    "db.awaitIndexes",
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "db.labels",
    "db.propertyKeys",
    "db.relationshipTypes",
    "dbms.components",
)


@dataclass(frozen=True)
class Finding:
    """One linter diagnostic for one rendering of a statement."""

    rendering: str  # "label=Person, rel=CALLED" or "" without placeholders
    severity: str  # error | warning | information | hint
    message: str
    line: int  # 1-based, in the rendered statement body (header comments stripped)
    column: int  # 1-based
    text: str  # the source text the diagnostic points at


Findings = dict[str, list[Finding]]  # statement name -> findings


def _pinned_version() -> str:
    return json.loads((LINT_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"][PACKAGE]


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"`{name}` is not on PATH: the Cypher lint test needs Node.js 20+ and npm to run "
            f"Neo4j's linter ({PACKAGE}); install them (e.g. apt-get install nodejs npm)",
            pytrace=False,
        )
    return path


def install_linter() -> str:
    """Path to ``node`` with the pinned linter installed in ``tests/cypher_lint/node_modules``.

    Runs ``npm ci`` (lockfile exact) only if the package is missing or at another version.
    Fails (``pytest.fail``), never skips, when node or npm is missing or the install fails.
    """
    node = _require_tool("node")
    npm = _require_tool("npm")
    installed = LINT_DIR / "node_modules" / PACKAGE / "package.json"
    if not installed.exists() or json.loads(installed.read_text(encoding="utf-8"))["version"] != _pinned_version():
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--engine-strict=false"],
            cwd=LINT_DIR,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            pytest.fail(
                f"npm ci in {LINT_DIR} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
                pytrace=False,
            )
    return node


def db_schema(model: Model) -> dict[str, Any]:
    """The linter's ``DbSchema`` from the ontology (functions and procedures added by lint.mjs).

    Shape: ``{labels: [str], relationshipTypes: [str], propertyKeys: [str],
    graphSchema: [{from, to, relType}], defaultLanguage: "CYPHER 5"}``; graphSchema lists, per
    relationship type, every label a node at each end may carry (ancestors included).
    """
    props = {p for lb in model.labels.values() for p in lb.properties}
    props |= {p for rt in model.relationships.values() for p in rt.properties}
    props |= set(model.provenance) | set(STATEMENT_PROPERTIES) | set(LEASE_PROPERTIES)
    props |= set(PENDING_PROPERTIES) | {MARK_PROPERTY, MARKS_PROPERTY} | set(PENDING_UNSHARE_PROPERTIES)
    props |= set(PENDING_RECOUNT_PROPERTIES)
    paths = set()
    for rt in model.relationships.values():
        for src in model.concrete_labels:
            for tgt in model.concrete_labels:
                if model.allows(rt.name, src.name, tgt.name):
                    paths |= {(f, t, rt.name) for f in src.labels for t in tgt.labels}
    return {
        "labels": sorted([*model.labels, STATEMENT_LABEL, LEASE_LABEL, PENDING_LABEL, MARK_LABEL,
                         MARKS_LABEL, PENDING_UNSHARE_LABEL, PENDING_RECOUNT_LABEL]),
        "relationshipTypes": sorted(model.relationships),
        "propertyKeys": sorted(props),
        "graphSchema": [{"from": f, "to": t, "relType": r} for f, t, r in sorted(paths)],
        "defaultLanguage": CYPHER_VERSION,
    }


#: The property a ``property`` placeholder is rendered with: every label and relationship has it.
REPRESENTATIVE_PROPERTY = "id"
#: The relationship type a ``relationship`` placeholder is rendered with (any type parses alike;
#: endpoint checks are off for statements with placeholders).
REPRESENTATIVE_RELATIONSHIP = "USES_PHONE"


def placeholder_values(model: Model) -> dict[str, list[str]]:
    """Values to render per placeholder kind (kinds as in ``graphapi.store.statements``). Labels: the
    first concrete label and the one with the most ancestors (``labels`` renders the whole chain):
    a label placeholder changes no syntax, and the linter knows every label alike, so rendering
    each of the ~22 labels linted 176 near-identical texts at ~0.5 s of CPU each."""
    concrete = model.concrete_labels
    chosen = list(dict.fromkeys([concrete[0].name, max(concrete, key=lambda lb: len(lb.labels)).name]))
    return {
        "label": chosen,
        "labels": chosen,
        "relationship": [model.relationship(REPRESENTATIVE_RELATIONSHIP).name],
        "property": [model.relationships[REPRESENTATIVE_RELATIONSHIP].properties[REPRESENTATIVE_PROPERTY].name],
    }


def renderings(statement: Statement, model: Model, fence: Statement | None = None) -> list[tuple[str, str]]:
    """``(description, cypher)`` for each rendering: every allowed value of every placeholder
    appears at least once; placeholders advance together (length = the longest value list).
    A write statement is also rendered behind ``fence`` (the write lease's prelude: a lease
    holder's writes run so); a prelude alone is rendered with a RETURN after it."""
    if statement.mode == "prelude":
        return [("", statement.render() + "\nRETURN count(*) AS fenced")]
    fenced = [statement.after(fence)] if fence is not None and statement.mode == "write" else []
    if not statement.placeholders:
        return [("", statement.render())] + [("fenced", s.render()) for s in fenced]
    values = placeholder_values(model)
    names = sorted(statement.placeholders)
    count = max(len(values[statement.placeholders[n]]) for n in names)
    out = []
    for i in range(count):
        chosen = {n: values[statement.placeholders[n]][i % len(values[statement.placeholders[n]])] for n in names}
        described = ", ".join(f"{n}={v}" for n, v in chosen.items())
        out.append((described, statement.render(**chosen)))
        out += [(f"fenced, {described}", s.render(**chosen)) for s in fenced[:1] if i == 0]
    return out


def lint_catalogs(catalogs: dict[str, StatementCatalog]) -> dict[str, Findings]:
    """Lint every rendering of every statement of every catalogue in ONE node process, but
    those whose answer is kept (:mod:`cypher_lint_cache`); installs the linter only if some
    rendering must be linted.

    Returns catalogue key -> statement name -> findings (empty when clean). Fails the test if
    node fails or a procedure in :data:`PROCEDURES` is unknown to the linter.
    """
    model = load_model()
    schema = db_schema(model)
    linter = lint_cache.linter_key(LINT_DIR)
    items, described, answers = [], {}, {}
    for key, catalog in catalogs.items():
        fence = catalog[WRITE_FENCE] if WRITE_FENCE in catalog else None
        for statement in catalog:
            for i, (description, cypher) in enumerate(renderings(statement, model, fence)):
                item_id = f"{key}:{statement.name}#{i}"
                described[item_id] = (key, statement.name, description)
                behind = fence.params if fence and description.startswith("fenced") else {}
                params = sorted({*statement.params, *behind})
                item = {"query": cypher, "params": params, "schemaPaths": not statement.placeholders}
                cache_key = lint_cache.key(linter, schema, PROCEDURES, item)
                if (kept := lint_cache.get(cache_key)) is not None:
                    answers[item_id] = kept
                else:
                    items.append({"id": item_id, "cacheKey": cache_key, **item})
    procedures_key = lint_cache.key(linter, PROCEDURES)
    unknown = lint_cache.get(procedures_key)
    if items or unknown is None:
        request = {"schema": schema, "procedures": list(PROCEDURES), "items": items}
        proc = subprocess.run(
            [install_linter(), str(LINT_DIR / "lint.mjs")],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            pytest.fail(f"lint.mjs failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
        answer = json.loads(proc.stdout)
        unknown = answer["unknownProcedures"]
        lint_cache.put(procedures_key, unknown)
        cache_keys = {item["id"]: item["cacheKey"] for item in items}
        for result in answer["results"]:
            answers[result["id"]] = result["diagnostics"]
            lint_cache.put(cache_keys[result["id"]], result["diagnostics"])
    if unknown:
        pytest.fail(f"PROCEDURES not known to {PACKAGE}: {unknown}")
    findings = {key: {s.name: [] for s in catalog} for key, catalog in catalogs.items()}
    for item_id, diagnostics in answers.items():
        key, name, description = described[item_id]
        findings[key][name] += [
            Finding(description, d["severity"], d["message"], d["line"], d["column"], d["text"])
            for d in diagnostics
        ]
    return findings


def report(statement: Statement, findings: list[Finding]) -> str:
    """A readable failure: each distinct diagnostic once, with the renderings it occurs in,
    then the first failing rendering with line numbers."""
    grouped: dict[tuple[str, str, int, int, str], list[str]] = {}
    for f in findings:
        grouped.setdefault((f.severity, f.message, f.line, f.column, f.text), []).append(f.rendering)
    lines = [f"{statement.name} ({statement.path}) fails Neo4j's Cypher linter:"]
    for (severity, message, line, column, text), where in grouped.items():
        shown = ", ".join(w for w in where[:3] if w)
        more = f" +{len(where) - 3} more" if len(where) > 3 else ""
        at = f" [{shown}{more}]" if shown else ""
        lines.append(f"  {line}:{column} {severity}: {message} -- at {text[:60]!r}{at}")
    first = findings[0].rendering
    fence = CATALOG[WRITE_FENCE] if CATALOG is not None and WRITE_FENCE in CATALOG else None
    body = dict(renderings(statement, load_model(), fence))[first]
    numbered = "\n".join(f"{i:4} | {ln}" for i, ln in enumerate(body.splitlines(), 1))
    lines.append(f"rendered{' with ' + first if first else ''}:\n{numbered}")
    return "\n".join(lines)


def _neo4j_catalog() -> tuple[StatementCatalog | None, str]:
    try:
        return StatementCatalog("neo4j"), ""
    except Exception as exc:  # reported by test_neo4j_catalogue_loads, not a collection error
        return None, f"{type(exc).__name__}: {exc}"


CATALOG, CATALOG_ERROR = _neo4j_catalog()
NAMES = CATALOG.names() if CATALOG else []


@dataclass(frozen=True)
class LintRun:
    """The session's one lint batch: findings per catalogue, or why there are none."""

    findings: dict[str, Findings]
    error: str = ""

    def of(self, key: str) -> Findings:
        """Findings of catalogue ``key``; FAILS the calling test if the linter could not run."""
        if self.error:
            pytest.fail(self.error, pytrace=False)
        return self.findings[key]


@pytest.fixture(scope="session")
def lint_run(tmp_path_factory: pytest.TempPathFactory) -> LintRun:
    """The neo4j catalogue ("neo4j") and the throwaway one ("throwaway"), linted in one batch.

    Setup problems (no node or npm, npm ci or lint.mjs failing) become a failure of each test
    that uses the results, not a setup error or a skip.
    """
    try:
        catalogs = {"throwaway": StatementCatalog("neo4j", root=throwaway_root(tmp_path_factory))}
        if CATALOG is not None:
            catalogs["neo4j"] = CATALOG
        return LintRun(lint_catalogs(catalogs))
    except pytest.fail.Exception as exc:
        return LintRun({}, error=str(exc))


def test_neo4j_catalogue_loads() -> None:
    assert CATALOG is not None, f"StatementCatalog('neo4j') failed to load: {CATALOG_ERROR}"


@pytest.mark.parametrize("name", NAMES)
def test_statement_passes_neo4j_lint(name: str, lint_run: LintRun) -> None:
    assert CATALOG is not None
    if found := lint_run.of("neo4j")[name]:
        pytest.fail(report(CATALOG[name], found), pytrace=False)


def test_linter_pinned_exactly() -> None:
    pinned = _pinned_version()
    lock = json.loads((LINT_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert pinned[0].isdigit(), f"{PACKAGE} must be pinned to an exact version, not {pinned!r}"
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == pinned


# --- the check bites: a throwaway catalogue with known-bad statements -------------------------

GOOD = """\
// A clean statement: a placeholder, the visibility fragment, a row property in a pattern.
// mode: read
// param $rows: list[{id: str}] - node ids
// param $agency: str - viewer agency
// placeholder prop: property
UNWIND $rows AS row
MATCH (n:Person {id: row.id})-[r:USES_PHONE]->(p:Phone)
WHERE {{visible(n)}} AND {{visible(r)}} AND {{visible(p)}}
RETURN n.{{prop}} AS value, collect(p.number) AS phones
"""

#: file name -> (body after a "// mode: read" header, substring the linter must report)
BROKEN = {
    "undefined_variable": ("MATCH (n:Person) RETURN m.id", "Variable `m` not defined"),
    "misspelt_relationship": (
        "MATCH (a:Person)-[:USES_PHONES]->(b:Phone) RETURN a.id, b.number",
        "Relationship type USES_PHONES is not present",
    ),
    "misspelt_label": ("MATCH (a:Persn) RETURN a.id", "Label Persn is not present"),
    "misspelt_property": ("MATCH (a:Person) RETURN a.nmae", "nmae is not present"),
    "misspelt_pattern_key": ("MATCH (a:Person {nmae: 'x'}) RETURN a.id", "nmae is not present"),
    "misspelt_property_in_pattern": (
        "MATCH (a:Person) MATCH (b:Person {name: a.nmae}) RETURN b.id",
        "nmae is not present",
    ),
    "misspelt_function": ("MATCH (a:Person) RETURN coalesc(a.name, '')", "Function coalesc"),
    "plugin_procedure": (
        "CALL apoc.help('x') YIELD name RETURN name",
        "Procedure apoc.help is not present",
    ),
    "ontology_path": (
        "MATCH (a:Phone)-[:HOLDS_ACCOUNT]->(b:BankAccount) RETURN a.id",
        "[:HOLDS_ACCOUNT] has no incoming (:Phone)",
    ),
    "deprecated_function": ("MATCH (a:Person) RETURN id(a)", "deprecated"),
    "syntax_error": ("MATCH (a:Person RETURN a.id", ""),
}


def throwaway_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cypher/ tree with :data:`GOOD`, :data:`BROKEN` and dialect overrides (real fragments)."""
    root = tmp_path_factory.mktemp("cypher")
    shutil.copytree(DEFAULT_ROOT / "fragments", root / "fragments")
    (root / "good.cypher").write_text(GOOD, encoding="utf-8")
    for name, (body, _) in BROKEN.items():
        (root / f"{name}.cypher").write_text(f"// {name}\n// mode: read\n{body}\n", encoding="utf-8")
    # The neo4j view takes the neo4j override and never lints falkordb-only Cypher.
    (root / "neo4j").mkdir()
    (root / "falkordb").mkdir()
    (root / "dialect.cypher").write_text("// mode: read\nRETURN nope\n", encoding="utf-8")
    (root / "neo4j" / "dialect.cypher").write_text("// mode: read\nRETURN 1 AS one\n", encoding="utf-8")
    (root / "falkordb" / "fulltext.cypher").write_text(
        textwrap.dedent("""\
            // mode: read
            // param $q: str - query
            CALL db.idx.fulltext.queryNodes('Entity', $q) YIELD node RETURN node.id
        """),
        encoding="utf-8",
    )
    return root


def test_renderings_cover_a_plain_label_and_the_longest_label_chain(tmp_path: Path) -> None:
    (tmp_path / "s.cypher").write_text(
        "// mode: read\n// placeholder a: label\n// placeholder b: labels\n"
        "// placeholder c: relationship\n// placeholder d: property\n"
        "MATCH (x:{{a}})-[r:{{c}}]->(y:{{b}}) RETURN x.{{d}}\n",
        encoding="utf-8",
    )
    model = load_model()
    rendered = [text for _, text in renderings(StatementCatalog("neo4j", root=tmp_path)["s"], model)]
    deepest = max(model.concrete_labels, key=lambda lb: len(lb.labels))
    assert len(deepest.labels) > 2 and len(rendered) == 2
    assert f"(x:{model.concrete_labels[0].name})" in rendered[0]
    assert f"(y:{':'.join(deepest.labels)})" in rendered[1]


def test_lint_passes_clean_statement(lint_run: LintRun) -> None:
    findings = lint_run.of("throwaway")
    assert findings["good"] == []
    assert findings["dialect"] == []
    assert "fulltext" not in findings


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_lint_catches_broken_statement(name: str, lint_run: LintRun) -> None:
    expected = BROKEN[name][1]
    messages = [f.message for f in lint_run.of("throwaway")[name]]
    assert any(expected in m for m in messages), f"{name}: expected {expected!r} in {messages}"


#: Statements that may filter with a WITH's WHERE after an update, and why the rows it drops need none.
FILTERED_AFTER_UPDATE = {
    "ingest/write_fence": "the fence: a caller not holding the lease must write nothing, its SETs included",
}


@pytest.mark.parametrize("dialect", ["falkordb", "neo4j"])
def test_no_statement_filters_with_a_where_after_its_updates(dialect: str) -> None:
    catalog = StatementCatalog(dialect)
    found = {name: shape for name in catalog.names() if name not in FILTERED_AFTER_UPDATE
             and (shape := filtered_after_update(catalog[name].template))}
    assert found == {}, "FalkorDB drops the updates of the rows these WHEREs filter (tests/cypher_update_filter.py)"


def test_the_update_filter_lint_refuses_a_set_then_a_filtering_with() -> None:
    # provenance/unnote_keyed_lines' shape (attack round a-94, 1)
    unnote = ("UNWIND $rows AS row MATCH (s:Statement {id: row.id})\n"
              "WITH s, row, [i IN range(0, size(s.value) - 1) WHERE NOT s.value[i] IN row.nodes] AS keep\n"
              "SET s.value = [i IN keep | s.value[i]] REMOVE s.digest\nWITH s, row, keep WHERE size(keep) = 0 DELETE s")
    assert filtered_after_update(unnote) == "WITH s, row, keep WHERE"


@pytest.mark.parametrize("body", [
    "MATCH (n {id: $id}) WITH n WHERE n.v > 1 SET n.v = 0 RETURN n",  # the filter before the update
    "MATCH (n {id: $id}) SET n.v = [x IN n.l WHERE x > 1] RETURN n",  # a comprehension's WHERE
    "UNWIND $ids AS i MATCH (n {id: i}) SET n.v = 0 WITH count(n) AS c WHERE c > 1 RETURN c",  # aggregated
    "UNWIND $ids AS i MATCH (n {id: i}) SET n.v = 0 WITH n MATCH (m {id: n.o}) WHERE m.v > 1 RETURN m",
], ids=["before", "comprehension", "aggregated", "match-where"])
def test_the_update_filter_lint_lets_a_where_that_drops_no_update_pass(body: str) -> None:
    assert filtered_after_update(body) is None


# a comment or string naming an aggregate is no aggregate: FalkorDB drops row a's SET (a-100, 3)
@pytest.mark.parametrize(("body", "shape"), [
    ("UNWIND $rows AS row MATCH (n {id: row.id}) SET n.v = 'new' WITH n, row // not a count() here\n"
     "WHERE row.keep RETURN n.id AS id", "WITH n, row // not a count() here\nWHERE"),
    ("UNWIND $rows AS row MATCH (n {id: row.id}) SET n.v = 'new' WITH n, row, 'collect(' AS t WHERE row.keep "
     "RETURN n.id AS id", "WITH n, row, 'collect(' AS t WHERE"),
], ids=["comment", "string"])
def test_the_update_filter_lint_refuses_a_filter_whose_projection_names_an_aggregate_only_in_text(
        body: str, shape: str) -> None:
    assert filtered_after_update(body) == shape
