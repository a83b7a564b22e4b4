"""Property test: ``shared_identifiers`` ties exactly the people an oracle ties through VISIBLE
phones and VISIBLE ``USES_PHONE`` links (issue 15 with the issue 4 visibility rule)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible

from graphapi.errors import NotFound
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.ontology import TLP_LEVELS
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

AGENCIES = ("A", "B", "C")
VIEWERS = (None, "A", "B", "C")


@st.composite
def phone_graphs(draw: st.DrawFn):
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from(TLP_LEVELS),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    people = [Item(id=f"per-{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(draw(st.integers(2, 5)))]
    phones = [Item(id=f"phone:+6681000000{i}", **{k: draw(s) for k, s in sharing.items()})
              for i in range(draw(st.integers(1, 3)))]
    links = {}
    for _ in range(draw(st.integers(0, 10))):
        person, phone = draw(st.sampled_from(people)), draw(st.sampled_from(phones))
        links[(person.id, phone.id)] = Item(id=f"uses:{person.id}:{phone.id}", type="USES_PHONE", start=person.id,
                                            end=phone.id, **{k: draw(s) for k, s in sharing.items()})
    return people, phones, list(links.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=phone_graphs(), pick=st.integers(0, 100))
async def test_shared_identifiers_equal_the_oracle_over_visible_links(store, graph, pick):
    people, phones, links = graph

    def sharing(item: Item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    await store.clear()
    records: list[NodeRecord | EdgeRecord] = [NodeRecord("Person", p.id, {"name": p.id, **sharing(p)}) for p in people]
    records += [NodeRecord("Phone", f.id, {"number": f.id.removeprefix("phone:"), **sharing(f)}) for f in phones]
    records += [EdgeRecord("USES_PHONE", x.id, x.start, x.end, sharing(x)) for x in links]
    await write_records(store, records, provenance=Provenance(owner="A", tlp="RED"), source="prop")
    subject = people[pick % len(people)].id

    for agency in VIEWERS:
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        shown = {n.id for n in [*people, *phones] if visible(n, agency)}
        if subject not in shown:  # hidden answers as unknown does: NOT_FOUND
            with pytest.raises(NotFound, match=re.escape(f"no entity with id '{subject}'")):
                await shared_identifiers(store, viewer, [subject])
            continue
        usable = [x for x in links if visible(x, agency) and x.start in shown and x.end in shown]
        expected: dict[tuple[str, str], list[str]] = {}
        for mine in (x for x in usable if x.start == subject):
            for theirs in (x for x in usable if x.end == mine.end and x.start != subject):
                expected.setdefault(tuple(sorted((subject, theirs.start))), []).append(mine.end)
        found = await shared_identifiers(store, viewer, [subject])
        got = {(t.a.id, t.b.id): [i.id for i in t.identifiers] for t in found.ties}
        assert got == {k: sorted(v) for k, v in expected.items()}, f"viewer {agency}"
