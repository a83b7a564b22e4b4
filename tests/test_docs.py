"""The documentation stays true: links resolve, the ontology page matches the ontology, and the
deployment files set only what Lintas reads.

Nothing here starts a store or a server: the checks read README.md, docs/*.md, deploy/ and the
ontology model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from graphapi.ontology import load_model
from graphapi.ontology.model import VALUE_TYPES
from graphapi.settings import Neo4jSettings, Settings

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
COMPOSE = REPO / "deploy" / "compose.yaml"
CADDYFILE = REPO / "deploy" / "Caddyfile"
ENV_EXAMPLE = REPO / "deploy" / "lintas.env.example"
ONTOLOGY_DOC = REPO / "docs" / "ontology.md"

_FENCE = re.compile(r"^(```|~~~)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


# -- markdown helpers -------------------------------------------------------------------------


def prose_lines(text: str) -> list[str]:
    """The lines of a markdown text outside fenced code blocks."""
    out, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return out


def links(path: Path) -> list[str]:
    """Link targets of a markdown file, outside code blocks and code spans."""
    return [m.group(1) for line in prose_lines(path.read_text(encoding="utf-8"))
            for m in _LINK.finditer(_CODE_SPAN.sub("", line))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a markdown file's headings."""
    return {slug(line.lstrip("#")) for line in prose_lines(path.read_text(encoding="utf-8"))
            if re.match(r"^#{1,6} ", line)}


def relative_links() -> list[tuple[Path, str]]:
    return [(doc, target) for doc in DOCS for target in links(doc)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target)]


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (a whole heading line) up to the next heading of its level or higher."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    start = lines.index(heading) + 1
    out = []
    for line in lines[start:]:
        m = re.match(r"^(#{1,6}) ", line)
        if m and len(m.group(1)) <= level:
            break
        out.append(line)
    return "\n".join(out)


def table_rows(text: str) -> list[list[str]]:
    """Cells of every table row in ``text`` (header and separator rows left out)."""
    rows, seen_header = [], False
    for line in text.splitlines():
        if not line.startswith("|"):
            seen_header = False
            continue
        cells = [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(line.strip())[1:-1]]
        if set("".join(cells)) <= set("-: "):
            continue
        if not seen_header:
            seen_header = True
            continue
        rows.append(cells)
    return rows


def names(cell: str) -> list[str]:
    """The code spans of a cell, in order: ``"`Person`, `Organization`"`` -> ``["Person", "Organization"]``."""
    return re.findall(r"`([^`]+)`", cell)


# -- links ------------------------------------------------------------------------------------


def test_no_doc_links_outside_the_repository():
    outside = [(doc.name, t) for doc, t in relative_links()
               if not (doc.parent / t.split("#")[0]).resolve().is_relative_to(REPO)]
    assert outside == []


@pytest.mark.parametrize(("doc", "target"), relative_links(), ids=lambda v: getattr(v, "name", v))
def test_relative_doc_link_points_to_an_existing_file(doc: Path, target: str):
    path = target.split("#")[0]
    assert path == "" or (doc.parent / path).exists(), f"{doc.name}: {target}"


@pytest.mark.parametrize(("doc", "target"), [(d, t) for d, t in relative_links() if "#" in t],
                         ids=lambda v: getattr(v, "name", v))
def test_doc_link_anchor_names_a_heading(doc: Path, target: str):
    path, anchor = target.split("#", 1)
    assert anchor in anchors(doc.parent / path if path else doc), f"{doc.name}: {target}"


# -- deployment files -------------------------------------------------------------------------


def settings_variables() -> set[str]:
    """Every environment variable graphapi/settings.py reads."""
    lintas = {f"{Settings.model_config['env_prefix']}{name}".upper()
              for name in Settings.model_fields if name != "neo4j"}
    neo4j = {f"{Neo4jSettings.model_config['env_prefix']}{name}".upper() for name in Neo4jSettings.model_fields}
    return lintas | neo4j


def lintas_services() -> dict[str, dict]:
    """The services of deploy/compose.yaml that run the Lintas image."""
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return {name: svc for name, svc in compose["services"].items() if svc.get("image") == "lintas:local"}


def test_compose_file_is_yaml_with_the_lintas_services():
    assert sorted(lintas_services()) == ["api-1", "api-2", "init-db", "loads"]


def test_compose_sets_only_variables_that_settings_read():
    unknown = {name: sorted(set(svc["environment"]) - settings_variables())
               for name, svc in lintas_services().items()}
    assert unknown == {name: [] for name in unknown}


def test_every_variable_settings_read_is_documented():
    text = "".join(doc.read_text(encoding="utf-8") for doc in DOCS)
    assert sorted(v for v in settings_variables() if v not in text) == []


def test_env_example_names_only_variables_that_settings_read():
    named = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert "NEO4J_PASSWORD" in named
    assert sorted(set(named) - settings_variables()) == []


def test_compose_uses_neo4j_over_tls():
    assert {svc["environment"]["NEO4J_URI"].split("://")[0] for svc in lintas_services().values()} == {"neo4j+s"}


def test_compose_load_job_service_runs_one_worker():
    command = lintas_services()["loads"]["command"]
    assert command[command.index("--workers") + 1] == "1"


def test_caddy_body_limits_equal_the_lintas_limits():
    limits = re.findall(r"max_size (\d+)MiB # (LINTAS_\w+)", CADDYFILE.read_text(encoding="utf-8"))
    assert sorted(var for _, var in limits) == ["LINTAS_MAX_BODY_BYTES", "LINTAS_MAX_UPLOAD_BYTES"]
    for svc in lintas_services().values():
        assert {var: int(mib) * 1024 * 1024 for mib, var in limits} == {
            var: int(svc["environment"][var]) for _, var in limits}


# -- the ontology page ------------------------------------------------------------------------


def ontology_doc() -> str:
    return ONTOLOGY_DOC.read_text(encoding="utf-8")


def type_text(prop) -> str:
    return "enum: " + ", ".join(prop.values) if prop.type == "enum" else prop.type


def flag_set(prop) -> set[str]:
    return {flag for flag, on in (("required", prop.required), ("many", prop.multiple),
                                  ("search", prop.search), ("internal", prop.internal)) if on}


def property_table(text: str) -> dict[str, tuple[str, set[str]]]:
    return {names(row[0])[0]: (row[1], {f.strip() for f in row[2].split(",") if f.strip()})
            for row in table_rows(text)}


def test_ontology_doc_lists_every_label_with_its_parent_key_and_id():
    model = load_model()
    rows = {names(r[0])[0]: r for r in table_rows(section(ontology_doc(), "## Labels").split("### ")[0])}
    assert sorted(rows) == sorted(model.labels)
    for name, lb in model.labels.items():
        parent, key, id_form = rows[name][1], names(rows[name][2]), rows[name][3]
        assert (names(parent) or [None])[0] == lb.parent, name
        assert tuple(key) == lb.key, name
        expected = "as given" if lb.key == ("id",) else f"`{lb.id_prefix}:{'|'.join(f'<{k}>' for k in lb.key)}`"
        assert id_form == expected, name


def test_ontology_doc_lists_each_labels_own_properties_with_type_and_flags():
    model = load_model()
    text = ontology_doc()
    for name, lb in model.labels.items():
        documented = property_table(section(text, f"### `{name}`"))
        expected = {p.name: (type_text(p), flag_set(p)) for p in lb.own_properties.values()}
        assert documented == expected, name


def test_ontology_doc_lists_every_relationship_type_with_endpoints_and_properties():
    model = load_model()
    common = _common_names(model)
    rows = {names(r[0])[0]: r
            for r in table_rows(section(ontology_doc(), "## Relationship types").split("Every relationship also")[0])}
    assert list(rows) == list(model.relationships)
    for name, rt in model.relationships.items():
        row = rows[name]
        assert tuple(names(row[1])) == rt.sources and tuple(names(row[2])) == rt.targets, name
        documented = dict(re.findall(r"`(\w+)`: ([^;]+)", row[3]))
        own = {n: type_text(p) for n, p in rt.properties.items() if n not in common}
        assert {k: v.strip() for k, v in documented.items()} == own, name


def _common_names(model) -> set[str]:
    """Properties every relationship type has (relationships.yaml ``common``)."""
    return set.intersection(*(set(rt.properties) for rt in model.relationships.values()))


def test_ontology_doc_lists_the_common_relationship_properties():
    model = load_model()
    text = section(ontology_doc(), "## Relationship types").split("Every relationship also")[1]
    some = next(iter(model.relationships.values()))
    expected = {n: (type_text(p), flag_set(p)) for n, p in some.properties.items() if n in _common_names(model)}
    assert property_table(text) == expected


def test_ontology_doc_lists_the_provenance_properties():
    text = section(ontology_doc(), "## Provenance and sharing (every node and every relationship)")
    documented = property_table(text)
    expected = {p.name: (type_text(p), flag_set(p)) for p in load_model().provenance.values()}
    assert documented == expected


def test_ontology_doc_describes_every_value_type():
    rows = table_rows(section(ontology_doc(), "## Value types"))
    assert sorted(names(r[0])[0] for r in rows) == sorted(VALUE_TYPES)
