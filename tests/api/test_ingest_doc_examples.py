"""The examples of docs/ingest.md, read from the page and run over HTTP exactly as written (the
page's mutation, each example's variables), answer exactly what the page shows, on each backend:
the reference of ``ingest(records)`` and the code cannot drift apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from graphapi.app import create_app
from graphapi.security import Principal

pytestmark = pytest.mark.backends

DOC = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"
LOADER = Principal("feed-th", agency="TH-POLICE", roles=frozenset({"loader"}))


def _sections() -> dict[str, str]:
    """The page's ``##`` and ``###`` sections by heading."""
    parts = re.split(r"^(#{2,3} .+)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {head.lstrip("# ").strip(): body for head, body in zip(parts[1::2], parts[2::2], strict=True)}


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.M | re.S)


def documented_mutation() -> str:
    (mutation,) = _blocks(_sections()["Calling it"], "graphql")
    return mutation


def documented_examples() -> dict[str, tuple[dict, dict]]:
    """``{title: (variables, answer)}`` of every ``### Example:`` section."""
    out = {}
    for head, body in _sections().items():
        if head.startswith("Example:"):
            variables, answer = (json.loads(b) for b in _blocks(body, "json"))
            out[head.removeprefix("Example:").strip()] = (variables, answer)
    return out


def test_the_page_documents_a_person_with_a_phone_and_a_transfer_between_two_accounts():
    assert list(documented_examples()) == ["a person and their phone", "a transfer between two accounts"]


@pytest.mark.parametrize("title", ["a person and their phone", "a transfer between two accounts"])
async def test_a_documented_example_answers_what_the_page_shows(backend_empty_store, title):
    variables, answer = documented_examples()[title]
    app = create_app(store=backend_empty_store, principal_provider=lambda request: LOADER)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        response = await client.post("/graphql", json={"query": documented_mutation(), "variables": variables})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"ingest": answer}}


async def test_the_documented_transfer_is_followed_by_the_money_trail(backend_empty_store):
    from graphapi.investigate.money import money_trail

    variables, answer = documented_examples()["a transfer between two accounts"]
    app = create_app(store=backend_empty_store, principal_provider=lambda request: LOADER)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        await client.post("/graphql", json={"query": documented_mutation(), "variables": variables})
    victim, mule, transfer = (i["lintasId"] for i in answer["ids"])
    found = await money_trail(backend_empty_store, LOADER, victim)
    assert [[t.id for t in trail.transfers] for trail in found.trails] == [[transfer]]
    assert [(t.amount, t.currency, t.at.removesuffix("Z")) for t in found.trails[0].transfers] == [
        (12_500_000, "VND", "2025-03-02T03:15:00")]  # +07:00 stored in UTC
    assert found.trails[0].end == mule
