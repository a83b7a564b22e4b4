"""A list argument that the cost limit does not count is bounded by the field itself, before any
per-item work: otherwise one 2 MiB request of 150,000 strings kept the worker's event loop busy
for seconds (``coTravellers(checkpoints:)``: ~3 s each; two at once delayed another agency's
one-entity query by 5.5 s), and an error about them echoed every one (``search(countries:)``:
a 1.5 MB message)."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
MANY = [f"bcp-{i}" for i in range(5_000)]


async def _errors(store, query, **variables):
    result = await SCHEMA.execute(query, variable_values=variables, context_value=Context(store, TH, "r"))
    return [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []]


@pytest.mark.xfail(strict=True, reason="attack10 F5: coTravellers takes any number of checkpoints "
                                       "(no bound, not in the cost), each canonicalised and sent to the store")
async def test_co_travellers_refuses_thousands_of_checkpoints(backend_store):
    errors = await _errors(backend_store, 'query ($c: [String!]) { coTravellers(personId: "per-somchai", '
                           'checkpoints: $c) { truncated } }', c=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert "checkpoints" in errors[0][0]


@pytest.mark.xfail(strict=True, reason="attack10 F5: the unknown-countries error lists every unknown "
                                       "value given (args.py), megabytes for a full body")
async def test_an_error_about_unknown_countries_does_not_echo_thousands_of_them(backend_store):
    errors = await _errors(backend_store, 'query ($c: [String!]) { search(text: "zhao", countries: $c) '
                           "{ edges { score } } }", c=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert len(errors[0][0]) < 1_000


class _CountingStore:
    """The store, counting the ids each statement is sent."""

    def __init__(self, store):
        self._store, self.ids_sent = store, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def read(self, statement, params, *args, **kwargs):
        self.ids_sent += sum(len(v) for v in params.values() if isinstance(v, list))
        return await self._store.read(statement, params, *args, **kwargs)


@pytest.mark.xfail(strict=True, reason="attack10 F5: brokers looks its groups' ids up (protected ids) "
                                       "before refusing more than 100: 150,000 ids took 6.5 s")
async def test_brokers_refuses_thousands_of_ids_before_sending_them_to_the_store(backend_store):
    counting = _CountingStore(backend_store)
    errors = await _errors(counting, 'query ($a: [String!]!) { brokers(groupA: $a, groupB: ["per-zhao-wei"]) '
                           "{ brokers { score } } }", a=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert counting.ids_sent <= 200


@pytest.mark.xfail(strict=True, reason="attack10 F5: share stores any number of agencies in sharedWith; "
                                       "150,000 on one node made each read of it ~15x slower for every agency")
async def test_share_refuses_thousands_of_agencies(backend_store):
    supervisor = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
    result = await SCHEMA.execute(
        'mutation ($a: [String!]!) { share(ids: ["per-somchai"], agencies: $a) { nodes refused } }',
        variable_values={"a": [f"AG-{i}" for i in range(5_000)]},
        context_value=Context(backend_store, supervisor, "r"))
    assert result.data is None or result.data["share"] != {"nodes": ["per-somchai"], "refused": []}
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["BAD_USER_INPUT"]
