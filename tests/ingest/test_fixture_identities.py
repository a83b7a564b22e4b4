"""The hand-checked fixture keys its accounts and its checkpoint as the loaders do, so that a
partner feed naming the same account or checkpoint joins the fixture's node instead of making a
second one (new-user report: a feed's SCB account became account:TH:SICOTHBK:... beside the
fixture's account:TH:SCB:..., and nearby found two Mae Sot checkpoints 0.57 km apart); and its
values are cleaned as the loaders clean them, so its times compare with a feed's."""

from graphapi.ingest.fixture import read_fixture
from graphapi.ingest.identity.accounts import account_key
from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.records import NodeRecord


def _nodes(label: str) -> list[NodeRecord]:
    _doc, records = read_fixture()
    return [r for r in records if isinstance(r, NodeRecord) and r.label == label]


def test_each_fixture_account_has_the_key_a_feed_naming_its_bank_and_number_gets() -> None:
    accounts = _nodes("BankAccount")
    keys = [(a.id, account_key(a.properties["country"], a.properties["bankName"], a.properties["accountNumber"]))
            for a in accounts]
    assert keys == [
        ("account:VN:BFTVVNVX:0011004455667", "VN:BFTVVNVX:0011004455667"),
        ("account:TH:KASITHBK:4071239587", "TH:KASITHBK:4071239587"),
        ("account:TH:SICOTHBK:9876543210", "TH:SICOTHBK:9876543210")]


def test_the_fixture_checkpoint_is_the_gazetteers_with_its_name_and_position() -> None:
    [checkpoint] = _nodes("BorderCheckpoint")
    entry = gazetteer("checkpoints").resolve(checkpoint.properties["name"])
    assert (checkpoint.id, checkpoint.properties["lat"], checkpoint.properties["lon"]) == (entry.id, 16.70, 98.52)


def test_the_fixtures_instants_are_stored_as_a_loader_stores_them() -> None:
    # the YAML writes "2024-09-12T08:15:00Z"; a CDR feed's same call is stored in UTC without a zone
    _doc, records = read_fixture()
    calls = sorted(r.properties["at"] for r in records if getattr(r, "type", None) == "CALLED")
    assert calls == ["2024-09-12T08:15:00", "2024-09-30T22:40:00", "2024-10-02T07:05:00"]
