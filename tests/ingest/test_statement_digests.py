"""The loader's first look at stored statements (``provenance/statement_digests``): a statement
stored exactly as its record says it is known by the digest it keeps (``Statement.digest``), so a
reload sends one id and one hash per statement instead of every entry to the probe (issue 14: the
probe was half a reload's store time). Any other statement goes on to the probe as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphapi.ingest.statement_store import _stored_statements
from graphapi.ingest.statements import Statement

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.backends]

FIRST, LAST = "2026-01-01T00:00:00", "2026-03-01T00:00:00"
NAMES = [("name", "Lim Sopheak"), ("alias", "Sopheak L."), ("nationality", "kh")]


def _statement(entries: list[tuple[str, str]], *, last: str = LAST, follows: bool = False) -> Statement:
    stmt = Statement("per-1", "KH-NP", "ftm@KH-NP", "AMBER", (), follows=follows)
    for prop, value in entries:
        stmt.assert_value(prop, value, "p.json:1", FIRST, last)
    return stmt


async def _stored(store, stmt: Statement) -> None:
    await store.clear()
    await store.write_batches("provenance/write_statements", [stmt.row()])


async def _differ(store, stmt: Statement) -> list[str]:
    [row] = await store.read("provenance/statement_digests", {"rows": [{"id": stmt.id, "digest": stmt.digest()}]})
    return row["differ"]


def _reads_of(store, monkeypatch) -> list[str]:
    """The names of the statements ``store`` reads from now on."""
    names: list[str] = []
    read = store.read

    async def recording(name, *args, **kwargs):
        names.append(name)
        return await read(name, *args, **kwargs)

    monkeypatch.setattr(store, "read", recording)
    return names


def test_the_digest_is_of_everything_the_statement_holds():
    assert _statement(NAMES).digest() == _statement(NAMES).digest()
    assert _statement(NAMES).digest() != _statement(NAMES, last="2026-03-02T00:00:00").digest()
    assert _statement(NAMES).digest() != _statement(NAMES[:2]).digest()
    assert _statement(NAMES).digest() != _statement([NAMES[1], NAMES[0], NAMES[2]]).digest()
    assert _statement(NAMES).props()["digest"] == _statement(NAMES).digest()


async def test_a_statement_stored_as_its_record_says_it_does_not_differ(store):
    await _stored(store, _statement(NAMES))

    assert await _differ(store, _statement(NAMES)) == []


async def test_a_statement_not_stored_differs(store):
    await store.clear()

    assert await _differ(store, _statement(NAMES)) == [_statement(NAMES).id]


async def test_a_statement_stored_with_another_value_differs(store):
    await _stored(store, _statement(NAMES))

    assert await _differ(store, _statement(NAMES[:2])) == [_statement(NAMES).id]


async def test_a_statement_a_share_moved_differs_though_its_values_are_the_same(store):
    stmt = _statement(NAMES, follows=True)
    await _stored(store, stmt)

    await store.write("security/follow_sharing",
                      {"rows": [{"id": "per-1", "tlp": "GREEN", "sharedWith": None}], "agency": "KH-NP"})

    assert await _differ(store, stmt) == [stmt.id]


async def test_a_reload_s_statements_are_covered_without_the_probe(store, monkeypatch):
    stmt = _statement(NAMES)
    await _stored(store, stmt)
    reads = _reads_of(store, monkeypatch)

    stored, covered = await _stored_statements(store, [(_statement(NAMES), False)], 100)

    assert (stored, covered) == ({}, {stmt.id})
    assert reads == ["provenance/statement_digests"]


async def test_a_record_saying_part_of_a_stored_statement_is_still_covered_by_the_probe(store, monkeypatch):
    stmt = _statement(NAMES)
    await _stored(store, stmt)
    reads = _reads_of(store, monkeypatch)

    stored, covered = await _stored_statements(store, [(_statement(NAMES[:2]), False)], 100)

    assert (stored, covered) == ({}, {stmt.id})
    assert reads == ["provenance/statement_digests", "provenance/statement_probe"]


def _statement_vars(text: str) -> set[str]:
    """The variables a write statement binds to Statement nodes and then SETs."""
    bound = set(re.findall(r"\((\w+):Statement\b", text))
    return {v for v in bound if re.search(rf"\bSET\s+{v}\b", text)}


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "cypher").rglob("*.cypher")
    if "mode: write" in p.read_text() and _statement_vars(p.read_text()) and p.stem != "write_statements"))
def test_every_other_write_of_a_statement_clears_its_digest(path: str) -> None:
    text = (ROOT / path).read_text()
    assert all(f"REMOVE {v}.digest" in text for v in _statement_vars(text))
