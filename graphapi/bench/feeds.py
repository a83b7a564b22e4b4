"""Row -> record readers for the bench feeds, used when the mapped-CSV loader cannot read them.

Each bench feed (see :mod:`graphapi.bench.generate`) is turned into ontology records the way a
declarative mapping would: every row yields the entities it names (normalised with
``graphapi.ontology.types``: E.164 phones from national numbers with the operator's country as
hint, ISO countries, UTC instants) and the relationship it asserts, with deterministic ids from
``Model.node_id`` / ``Model.relationship_id``. Records then go through the real writer
(``graphapi.ingest.writer``), so what is measured is the real write path.

A row that does not normalise (a bad phone, a bad date) becomes a :class:`Rejection`; the
generator never writes such rows, so a bench load must report zero rejections.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ontology import Model, load_model
from graphapi.ontology.types import get_type

Record = NodeRecord | EdgeRecord
RowReader = Callable[[dict[str, str], Origin], list[Record]]

_phone = get_type("phone")
_country = get_type("country")
_instant = get_type("datetime")
_date = get_type("date")
_name = get_type("name")


class BadRow(ValueError):
    """A row value that does not normalise; becomes a rejection."""


def _need(value: object, what: str) -> object:
    if value is None or value == "":
        raise BadRow(f"bad or missing {what}")
    return value


class FeedReader:
    """Readers for the bench feeds by name; ``model`` defaults to the ontology."""

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or load_model()
        self.readers: dict[str, RowReader] = {
            "subscribers": self.subscribers, "account_holders": self.account_holders,
            "wallet_holders": self.wallet_holders, "compound_staff": self.compound_staff, "cdr": self.cdr,
            "bank_transfers": self.bank_transfers, "chain_transfers": self.chain_transfers,
            "border_crossings": self.border_crossings,
        }

    # -- helpers --------------------------------------------------------------------------------
    def _node(self, label: str, props: dict, origin: Origin) -> NodeRecord:
        return NodeRecord(label, self.model.node_id(label, props), {k: v for k, v in props.items() if k != "id"},
                          origin)

    def _edge(self, rel: str, a: NodeRecord, b: NodeRecord, props: dict, origin: Origin, key: str = "") -> EdgeRecord:
        return EdgeRecord(rel, self.model.relationship_id(rel, a.id, b.id, key), a.id, b.id, props, origin)

    def _person(self, pid: str, name: str, origin: Origin, nationality: str | None = None) -> NodeRecord:
        props: dict = {"id": _need(pid, "person id"), "name": _need(_name.clean(name), "name")}
        if nationality:
            props["nationality"] = [_need(_country.clean(nationality), "nationality")]
        return self._node("Person", props, origin)

    def _phone_node(self, raw: str, origin: Origin, country: str | None = None) -> NodeRecord:
        number = _need(_phone.clean(raw, country=country), f"phone {raw!r}")
        return self._node("Phone", {"number": number}, origin)

    def _account(self, bank: str, number: str, country: str, origin: Origin, currency: str | None = None) -> NodeRecord:
        cc = _need(_country.clean(country), "account country")
        props = {"accountKey": f"{cc}:{bank}:{number}", "bankCode": bank, "accountNumber": number, "country": cc}
        if currency:
            props["currency"] = currency
        return self._node("BankAccount", props, origin)

    # -- feeds ----------------------------------------------------------------------------------
    def subscribers(self, row: dict[str, str], o: Origin) -> list[Record]:
        phone = self._phone_node(row["msisdn"], o, row["operator_country"])
        person = self._person(row["subscriber_id"], row["name"], o, row["nationality"])
        since = _need(_date.clean(row["registered"]), "registered")
        return [person, phone, self._edge("USES_PHONE", person, phone, {"from": since}, o)]

    def account_holders(self, row: dict[str, str], o: Origin) -> list[Record]:
        person = self._person(row["holder_id"], row["holder_name"], o)
        account = self._account(row["bank"], row["account_number"], row["country"], o, row["currency"])
        return [person, account, self._edge("HOLDS_ACCOUNT", person, account, {}, o)]

    def wallet_holders(self, row: dict[str, str], o: Origin) -> list[Record]:
        person = self._person(row["holder_id"], row["holder_name"], o)
        wallet = self._node("CryptoWallet", {"chain": row["chain"], "address": _need(row["address"], "address")}, o)
        return [person, wallet, self._edge("CONTROLS_WALLET", person, wallet, {}, o)]

    def compound_staff(self, row: dict[str, str], o: Origin) -> list[Record]:
        person = self._person(row["person_id"], row["name"], o)
        compound = self._node("Compound", {"id": row["compound_id"], "name": row["compound_name"],
                                           "country": _country.clean(row["compound_country"])}, o)
        rel = "HELD_AT" if row["kind"] == "held" else "WORKED_AT"
        return [person, compound, self._edge(rel, person, compound, {"role": row["role"]}, o)]

    def cdr(self, row: dict[str, str], o: Origin) -> list[Record]:
        a, b = self._phone_node(row["caller"], o), self._phone_node(row["callee"], o)
        props = {"at": _need(_instant.clean(row["start_time"]), "start_time"),
                 "durationS": int(row["duration_s"]), "cell": row["cell_id"]}
        return [a, b, self._edge("CALLED", a, b, props, o, row["record_id"])]

    def bank_transfers(self, row: dict[str, str], o: Origin) -> list[Record]:
        a = self._account(row["from_bank"], row["from_account"], row["from_country"], o)
        b = self._account(row["to_bank"], row["to_account"], row["to_country"], o)
        props = {"at": _need(_instant.clean(row["value_time"]), "value_time"), "amount": float(row["amount"]),
                 "currency": row["currency"], "txId": row["reference"]}
        return [a, b, self._edge("TRANSFERRED_TO", a, b, props, o, row["reference"])]

    def chain_transfers(self, row: dict[str, str], o: Origin) -> list[Record]:
        a = self._node("CryptoWallet", {"chain": row["chain"], "address": row["from_address"]}, o)
        b = self._node("CryptoWallet", {"chain": row["chain"], "address": row["to_address"]}, o)
        props = {"at": _need(_instant.clean(row["block_time"]), "block_time"), "amount": float(row["amount"]),
                 "currency": row["token"], "txId": row["tx_hash"]}
        return [a, b, self._edge("TRANSFERRED_TO", a, b, props, o, row["tx_hash"])]

    def border_crossings(self, row: dict[str, str], o: Origin) -> list[Record]:
        person = self._person(row["person_id"], row["name"], o, row["nationality"])
        countries = [c for c in (_country.clean(x) for x in row["countries"].split("-")) if c]
        checkpoint = self._node("BorderCheckpoint", {"id": row["checkpoint_id"], "name": row["checkpoint_name"],
                                                     "countries": countries, "kind": "land"}, o)
        props = {"at": _need(_instant.clean(row["crossed_at"]), "crossed_at"), "direction": row["direction"],
                 "document": row["document_number"]}
        return [person, checkpoint, self._edge("CROSSED", person, checkpoint, props, o, row["record_id"])]

    # -- files ----------------------------------------------------------------------------------
    def read(self, feed: str, path: Path, source: str) -> FeedFile:
        """A :class:`FeedFile` reader for feed ``feed`` in CSV file ``path``. KeyError if unknown."""
        return FeedFile(self.readers[feed], Path(path), source)


class FeedFile:
    """One feed file as an ingest ``Reader``: ``stats`` and ``records()`` (records and rejections)."""

    def __init__(self, row_reader: RowReader, path: Path, source: str) -> None:
        self.row_reader, self.path, self.source = row_reader, path, source
        self.stats = ReadStats()

    def records(self) -> Iterator[Record | Rejection]:
        """Yield each row's records, or one Rejection for a row that does not normalise."""
        with self.path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                self.stats.rows += 1
                origin = Origin(self.source, self.path.name, line)
                try:
                    records = self.row_reader(row, origin)
                except (BadRow, KeyError, ValueError) as exc:
                    self.stats.rejected += 1
                    yield Rejection(self.path.name, line, str(exc), row)
                    continue
                yield from records
