"""Synthetic graph with planted investigation structures and decoys, for the analytics. SYNTHETIC DATA.

Nothing here is real. Background noise (unrelated accounts and transfers, travellers, phone
users) is drawn from ``random.Random(seed)``; the planted structures sit at fixed ids and times,
so an analytic's answer can be checked exactly (:class:`Planted` says what it must find):

- **Mule ring.** Two victims' accounts pay mule ``M1``; the money is layered ``M1 -> M2 -> M3``
  into a Tron wallet, each transfer after the one before it. Decoys: a chain ``M2 -> D1 -> D2``
  whose transfers happened *before* the money reached ``M2`` (runs backwards in time); ``M3 -> G1``
  ten days later (outside a 48-hour gap); and a RED transfer ``M3 -> X`` (owner TH-DSI) leading on
  to ``X -> Y``: hidden from every other agency.
- **Co-travellers.** Four people exit checkpoint ``bcp-pl-1`` within two hours on two days (one
  of them, ``T2``, a trafficking victim in a case). Decoys:
  one crosses with them on both days but in the other direction, one on day one three hours
  later (outside a 2-hour window), and one whose crossings are RED (TH-DSI's).
- **Cross-border path.** A Vietnamese victim reaches a compound's boss through a cousin and an
  associate (two hops, no border) and through a Thai recruiter and a compound in Myanmar (three
  hops, VN -> TH -> MM). Decoy: a RED tie straight from the victim to the boss (TH-DSI's).
- **Syndicates.** Two clusters of five associates (every pair tied) and a broker tied to two
  members of each. Decoy: a RED hub (TH-DSI's) tied to all ten.
- **Shared phone ring.** Three people use one phone, two of them also one handset. Decoys: a
  placeholder number (a Thai police hotline, on the exclusion list) used by many, a quarantined
  phone, and a RED ``USES_PHONE`` tying another person to the ring's phone.

Everything not marked otherwise is GREEN, owner ``lintas``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.store.base import GraphStore

DEFAULT_SEED = 20261203
SOURCE = "planted"
HIDDEN = {"tlp": "RED", "owner": "TH-DSI"}
T0 = datetime(2025, 1, 10, 2, 0, 0)


def _at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat(timespec="seconds")


@dataclass
class Planted:
    """The records and the answers the analytics must give (ids as stored)."""

    records: list[NodeRecord | EdgeRecord] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)
    transfers: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    crossings: dict[str, str] = field(default_factory=dict)
    holdings: dict[str, str] = field(default_factory=dict)


class _Builder:
    def __init__(self) -> None:
        self.model = load_model()
        self.out = Planted()
        self._line = 0

    def _origin(self) -> Origin:
        self._line += 1
        return Origin(SOURCE, "planted", self._line)

    def node(self, label: str, props: dict, **extra) -> str:
        node_id = props.get("id") or self.model.node_id(label, props)
        self.out.records.append(NodeRecord(label, node_id, {k: v for k, v in props.items() if k != "id"} | extra,
                                           self._origin()))
        return node_id

    def edge(self, rel_type: str, start: str, end: str, key: str, **props) -> str:
        rel_id = self.model.relationship_id(rel_type, start, end, key)
        self.out.records.append(EdgeRecord(rel_type, rel_id, start, end, props, self._origin()))
        return rel_id


def _mule_ring(b: _Builder) -> None:
    acc = b.out.accounts
    for name, key in (("V1", "VN:VCB:9100000001"), ("V2", "VN:ACB:9100000002"), ("M1", "TH:KBANK:9200000001"),
                      ("M2", "TH:SCB:9200000002"), ("M3", "KH:ABA:9200000003"), ("D1", "TH:BBL:9300000001"),
                      ("D2", "TH:BBL:9300000002"), ("G1", "LA:BCEL:9300000003"), ("X", "KH:ABA:9400000001"),
                      ("Y", "KH:ABA:9400000002")):
        acc[name] = b.node("BankAccount", {"accountKey": key})
    acc["W"] = b.node("CryptoWallet", {"address": "TPlantedMuleRingWa11etUSDTxxxxxxx1", "chain": ["USDT"]})
    tx = b.out.transfers
    for name, src, dst, hours, amount, currency, extra in (
        ("v1-m1", "V1", "M1", 0, 120_000_000, "VND", {}),
        ("v2-m1", "V2", "M1", 1, 80_000_000, "VND", {}),
        ("m1-m2", "M1", "M2", 3, 270_000, "THB", {}),
        ("m2-m3", "M2", "M3", 7, 7_500, "USD", {}),
        ("m3-w", "M3", "W", 20, 7_400, "USDT", {}),
        # Decoys: before the money reached M2 (backwards), ten days late, and another agency's RED.
        ("m2-d1", "M2", "D1", 2, 50_000, "THB", {}),
        ("d1-d2", "D1", "D2", 1.5, 49_000, "THB", {}),
        ("m3-g1", "M3", "G1", 20 + 240, 3_000, "USD", {}),
        ("m3-x", "M3", "X", 9, 2_000, "USD", HIDDEN),
        ("x-y", "X", "Y", 10, 1_900, "USD", {}),
    ):
        tx[name] = b.edge("TRANSFERRED_TO", acc[src], acc[dst], f"pl-{name}", at=_at(hours), amount=amount,
                          currency=currency, txId=f"PL-{name.upper()}", **extra)
    holder = b.out.people["M2-holder"] = b.node("Person", {"id": "per-pl-mule-2", "name": "Planted Mule Two"})
    b.out.holdings["M2"] = b.edge("HOLDS_ACCOUNT", holder, acc["M2"], "", **{"from": "2024-12"})


def _co_travel(b: _Builder) -> None:
    cp = b.node("BorderCheckpoint", {"id": "bcp-pl-1", "name": "Planted Friendship Bridge", "kind": "land"})
    people = b.out.people
    for name in ("T1", "T2", "T3", "T4", "T-entry", "T-late", "T-hidden"):
        people[name] = b.node("Person", {"id": f"per-pl-{name.lower()}", "name": f"Planted Traveller {name}"})
    day1, day2 = 24 * 30, 24 * 45  # hours after T0
    for name, hours, direction, extra in (
        ("T1", (day1, day2), "exit", {}),
        ("T2", (day1 + 0.5, day2 - 0.75), "exit", {}),
        ("T3", (day1 + 1, day2 + 1.5), "exit", {}),
        ("T4", (day1 - 1.5, day2 + 0.25), "exit", {}),
        ("T-entry", (day1 + 0.2, day2 + 0.2), "entry", {}),
        ("T-late", (day1 + 3,), "exit", {}),
        ("T-hidden", (day1 + 0.1, day2 + 0.1), "exit", HIDDEN),
    ):
        for i, h in enumerate(hours, start=1):
            b.out.crossings[f"{name}-{i}"] = b.edge("CROSSED", people[name], cp, f"pl-{name}-{i}", at=_at(h),
                                                    direction=direction, document=f"PL{name.upper()}{i}", **extra)
    # T2 is a trafficking victim: readers without the victim-data role see T2 redacted.
    case = b.node("Case", {"agency": "TH-DSI", "caseNumber": "PL-2025-0001", "title": "Planted case"})
    b.edge("INVOLVED_IN", people["T2"], case, "", role="victim")


def _shared_phone_ring(b: _Builder) -> None:
    people, ids = b.out.people, b.out.identifiers
    for name in ("R1", "R2", "R3", "R4", "R-hidden", "R-q"):
        people[name] = b.node("Person", {"id": f"per-pl-{name.lower()}", "name": f"Planted Ring {name}"})
    ids["ring-phone"] = b.node("Phone", {"number": "+66899990001"})
    ids["ring-device"] = b.node("Device", {"imei": "356938035643809"})
    ids["hotline"] = b.node("Phone", {"number": "+66191"})
    ids["quarantined"] = b.node("Phone", {"number": "+66899990002"})  # flagged for everyone by load_planted
    for name in ("R1", "R2", "R3"):
        b.edge("USES_PHONE", people[name], ids["ring-phone"], "")
    for name in ("R3", "R4"):
        b.edge("USES_DEVICE", people[name], ids["ring-device"], "")
    b.edge("USES_PHONE", people["R-hidden"], ids["ring-phone"], "", **HIDDEN)
    for name in ("R2", "R-q"):
        b.edge("USES_PHONE", people[name], ids["quarantined"], "")
    for i in range(12):  # the placeholder: every victim's family wrote the police hotline
        person = b.node("Person", {"id": f"per-pl-hotline-{i}", "name": f"Planted Caller {i}"})
        b.edge("USES_PHONE", person, ids["hotline"], "")
    b.edge("USES_PHONE", people["R1"], ids["hotline"], "")


def _cross_border(b: _Builder) -> None:
    """A victim (VN) reaches a compound's boss two ways: through a cousin and an associate (no
    border), and through a Thai recruiter and a compound in Myanmar (VN -> TH -> MM)."""
    people = b.out.people
    for name, props in (("victim", {"nationality": ["VN"]}), ("cousin", {"nationality": ["VN"]}),
                        ("recruiter", {"nationality": ["TH"]}), ("boss", {})):
        people[name] = b.node("Person", {"id": f"per-pl-{name}", "name": f"Planted {name.title()}", **props})
    compound = b.out.identifiers["compound"] = b.node(
        "Compound", {"id": "cmp-pl-1", "name": "Planted Compound", "country": "MM"})
    b.edge("FAMILY_OF", people["victim"], people["cousin"], "")
    b.edge("ASSOCIATE_OF", people["cousin"], people["boss"], "")
    b.edge("RECRUITED", people["recruiter"], people["victim"], "", at=_at(-100))
    b.edge("WORKED_AT", people["recruiter"], compound, "", role="recruiter")
    b.edge("WORKED_AT", people["boss"], compound, "", role="manager")
    # Decoy: another agency's RED tie straight from the victim to the boss.
    b.edge("ASSOCIATE_OF", people["victim"], people["boss"], "hidden", **HIDDEN)


def _syndicates(b: _Builder) -> None:
    """Two tight clusters of five associates each (every pair tied) and one broker tied to two
    members of each: the broker lies on every path between them. Decoy: another agency's RED
    person tied to all ten, who would merge the clusters for anyone who saw it."""
    people = b.out.people
    clusters = {side: [f"{side}{i}" for i in range(1, 6)] for side in ("N", "S")}
    for members in clusters.values():
        for name in members:
            people[name] = b.node("Person", {"id": f"per-pl-syn-{name.lower()}", "name": f"Planted Syndicate {name}"})
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                b.edge("ASSOCIATE_OF", people[x], people[y], "")
    people["broker"] = b.node("Person", {"id": "per-pl-syn-broker", "name": "Planted Broker"})
    for name in ("N1", "N2", "S1", "S2"):
        b.edge("ASSOCIATE_OF", people["broker"], people[name], "")
    people["syn-hidden"] = b.node("Person", {"id": "per-pl-syn-hidden", "name": "Planted Hidden Hub"}, **HIDDEN)
    for name in (*clusters["N"], *clusters["S"]):
        b.edge("ASSOCIATE_OF", people["syn-hidden"], people[name], "", **HIDDEN)


def _noise(b: _Builder, rng: random.Random, size: int) -> None:
    """Unrelated accounts paying each other at random times, travellers at other checkpoints."""
    accounts = [b.node("BankAccount", {"accountKey": f"TH:NOISE:{rng.randrange(10**9):09d}"}) for _ in range(size)]
    for i in range(size * 2):
        src, dst = rng.sample(accounts, 2)
        b.edge("TRANSFERRED_TO", src, dst, f"noise-{i}", at=_at(rng.uniform(-500, 500)),
               amount=round(rng.uniform(10, 10_000), 2), currency=rng.choice(["THB", "USD", "USDT"]))
    cp = b.node("BorderCheckpoint", {"id": "bcp-pl-noise", "name": "Planted Noise Checkpoint", "kind": "land"})
    for i in range(size):
        person = b.node("Person", {"id": f"per-pl-noise-{i}", "name": f"Noise Traveller {i}"})
        b.edge("CROSSED", person, cp, f"noise-{i}", at=_at(rng.uniform(0, 2000)),
               direction=rng.choice(["entry", "exit"]))


def build_planted(seed: int = DEFAULT_SEED, noise: int = 30) -> Planted:
    """The planted graph's records and answers; the same ``seed`` always gives the same graph."""
    b = _Builder()
    _mule_ring(b)
    _co_travel(b)
    _shared_phone_ring(b)
    _cross_border(b)
    _syndicates(b)
    _noise(b, random.Random(seed), noise)
    return b.out


async def load_planted(store: GraphStore, seed: int = DEFAULT_SEED) -> Planted:
    """Write the planted graph into ``store`` (idempotent) and return what was planted."""
    planted = build_planted(seed)
    await write_records(store, planted.records, provenance=Provenance(owner="lintas", tlp="GREEN"), source=SOURCE)
    # quarantined for everyone, as holders everyone sees past the limit make it (a load's own
    # quarantine is only its audience's: graphapi.ingest.write_correlation)
    await store.write_batches("ingest/update_nodes", [{"id": planted.identifiers["quarantined"],
                                                       "props": {"quarantined": True, "inQuarantine": 1}}])
    return planted
