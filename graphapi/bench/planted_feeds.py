"""The issue's known structures and decoys, planted in the generated feeds at any scale. SYNTHETIC.

``lintas generate`` appends these rows to its feeds (and writes the two feeds only they use), so
the bench's analytics seeds are the planted ones and a test can check that each analytic finds
exactly the planted answer in the loaded feeds (:class:`PlantedAnswers`). Their entities are their
own (ids ``bench-planted-*``, account numbers, a phone number, a wallet address, a passport, a
compound and a checkpoint that the background never draws), so the answer does not change with
the scale or the seed. Times lie in June-July 2024, inside the background's span.

- **Mule ring** (``bank_transfers``, ``exchange_deposits``): two victims' accounts (VN) pay mule
  ``M1`` (TH); the money is layered ``M1 -> M2 -> M3`` (TH, TH, KH), each transfer after the one
  before it, and deposited at an exchange into a Tron wallet. Decoy: ``M2 -> D1 -> D2``, whose
  transfers happened before the money reached ``M2`` and run backwards in time.
- **Co-travellers** (``border_crossings``): four people exit the planted checkpoint within two
  hours of each other on two days. Decoy: one who exits there five hours later on both days.
- **Syndicates and a broker** (``intelligence_links``): two clusters of five associates (every
  pair tied) and a broker tied to two members of each.
- **Recruiter** (``intelligence_links``, ``compound_staff``): a Thai recruiter recruited three
  victims of three nationalities (VN, ID, PH), held at the planted compound in Myanmar.
- **Shared-phone ring** (``subscribers``): three people registered one SIM.
- **Shared-document ring** (``intelligence_links``): three people hold one Thai passport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

T0 = datetime(2024, 6, 3, 2, 0, 0, tzinfo=UTC)
#: Headers of the feeds that only the planted rows use (the others are the generator's).
EXTRA_FEEDS = {
    "exchange_deposits": ["reference", "from_bank", "from_account", "from_country", "chain", "to_address",
                          "amount", "currency", "value_time"],
    "intelligence_links": ["record_id", "kind", "person_id", "person_name", "person_nationality", "other_id",
                           "other_name", "other_nationality", "document_country", "document_kind",
                           "document_number"],
}
#: Relationship type of an ``intelligence_links`` row by its ``kind``.
LINK_TYPES = {"associate": "ASSOCIATE_OF", "recruited": "RECRUITED", "holds_document": "HOLDS_DOCUMENT"}
CHECKPOINT = ("bench-checkpoint-planted", "Planted Friendship Bridge", "TH-LA")
COMPOUND = ("bench-compound-planted", "Planted Compound (MM)", "MM")
WALLET = ("TRX", "TPLantedMuLeRingWaLLetUSDTTRCxxxx1")
PHONE = ("089 999 0001", "TH", "+66899990001")
PASSPORT = ("TH", "passport", "AA9990001")
#: Mule ring accounts: name -> (bank, account number, country, currency).
ACCOUNTS = {"V1": ("VCB", "9100000001", "VN", "VND"), "V2": ("VCB", "9100000002", "VN", "VND"),
            "M1": ("KBANK", "9200000001", "TH", "THB"), "M2": ("SCB", "9200000002", "TH", "THB"),
            "M3": ("ABA", "9200000003", "KH", "USD"), "D1": ("BBL", "9300000001", "TH", "THB"),
            "D2": ("BBL", "9300000002", "TH", "THB")}


def _model():  # imported when first used: the CLI loads this module to offer its options
    from graphapi.ontology import load_model

    return load_model()


def _at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pid(name: str) -> str:
    return f"bench-planted-{name.lower()}"


def _name(name: str) -> str:
    return f"Planted {name.replace('-', ' ').title()}"


@dataclass(frozen=True)
class PlantedAnswers:
    """What each analytic must find, ids as the loader stores them."""

    mule_start: str
    mule_trail: tuple[str, ...]
    mule_decoys: tuple[str, ...]
    wallet: str
    traveller: str
    co_travellers: tuple[str, ...]
    late_traveller: str
    broker: str
    clusters: tuple[tuple[str, ...], ...]
    recruiter: str
    recruited: dict[str, str]
    phone: str
    phone_ring: tuple[str, ...]
    document: str
    document_ring: tuple[str, ...]


@dataclass
class PlantedRows:
    """Rows by feed (the generator's headers, and :data:`EXTRA_FEEDS`; each row asserts one
    relationship) and the distinct nodes, by label, that they add to a load."""

    rows: dict[str, list[list]] = field(default_factory=dict)
    nodes: dict[str, set[str]] = field(default_factory=dict)

    def add(self, feed: str, row: list, **nodes: str) -> None:
        self.rows.setdefault(feed, []).append(row)
        for label, node_id in nodes.items():
            self.nodes.setdefault(label, set()).add(node_id)

    def nodes_by_label(self) -> dict[str, int]:
        return {label: len(ids) for label, ids in self.nodes.items()}


def account_id(name: str) -> str:
    from graphapi.ingest.identity.accounts import normal_account_key  # as the mapped feeds key it

    bank, number, country, _ = ACCOUNTS[name]
    return _model().node_id("BankAccount", {"accountKey": normal_account_key(f"{country}:{bank}:{number}")})


def _mule_ring(p: PlantedRows) -> None:
    acc = {name: account_id(name) for name in ACCOUNTS}
    for name in ("M1", "M2", "M3"):
        bank, number, country, currency = ACCOUNTS[name]
        holder = f"mule-{name}"
        p.add("account_holders", [_pid(holder), _name(holder), bank, number, country, currency],
              Person=_pid(holder), BankAccount=acc[name])
    for ref, src, dst, hours, amount in (
        ("V1-M1", "V1", "M1", 0, 120_000_000), ("V2-M1", "V2", "M1", 1, 80_000_000),
        ("M1-M2", "M1", "M2", 3, 270_000), ("M2-M3", "M2", "M3", 7, 7_500),
        # the decoy: M2 -> D1 before the money reached M2, D1 -> D2 earlier still
        ("M2-D1", "M2", "D1", 2, 50_000), ("D1-D2", "D1", "D2", 1.5, 49_000),
    ):
        (bank_a, num_a, cc_a, cur), (bank_b, num_b, cc_b, _) = ACCOUNTS[src], ACCOUNTS[dst]
        p.add("bank_transfers", [f"TXPL-{ref}", bank_a, num_a, cc_a, bank_b, num_b, cc_b, f"{amount:.2f}", cur,
                                 _at(hours)], BankAccount=acc[src])
        p.nodes["BankAccount"].add(acc[dst])
    bank, number, country, _ = ACCOUNTS["M3"]
    p.add("exchange_deposits", ["DEPPL-M3-W", bank, number, country, WALLET[0], WALLET[1], "7400.00", "USDT",
                                _at(20)], CryptoWallet=wallet_id())


def wallet_id() -> str:
    return _model().node_id("CryptoWallet", {"address": WALLET[1], "chain": WALLET[0]})


def _co_travel(p: PlantedRows) -> None:
    cid, cname, pair = CHECKPOINT
    day1, day2 = 24 * 20, 24 * 35
    for name, hours in (("T1", (day1, day2)), ("T2", (day1 + 0.5, day2 - 0.75)), ("T3", (day1 + 1, day2 + 1.5)),
                        ("T4", (day1 - 1.5, day2 + 0.25)), ("T-late", (day1 + 5, day2 + 5))):
        for i, h in enumerate(hours, start=1):
            doc = f"TH{name.replace('-', '')}PL"
            p.add("border_crossings", [f"IMMPL-{name}-{i}", _pid(name), _name(name), "TH", doc, cid, cname, pair,
                                       "exit", _at(h)], Person=_pid(name), BorderCheckpoint=cid)


def _link(p: PlantedRows, ref: str, kind: str, person: str, nationality: str, other: str = "",
          other_nationality: str = "") -> None:
    doc = PASSPORT if kind == "holds_document" else ("", "", "")
    row = [f"INTPL-{ref}", kind, _pid(person), _name(person), nationality, _pid(other) if other else "",
           _name(other) if other else "", other_nationality, *doc]
    nodes = {"Person": _pid(person)}
    p.add("intelligence_links", row, **nodes)
    if other:
        p.nodes["Person"].add(_pid(other))
    else:
        p.nodes.setdefault("IdentityDocument", set()).add(document_id())


def document_id() -> str:
    return _model().node_id("IdentityDocument", {"country": PASSPORT[0], "number": PASSPORT[2]})


def _syndicates(p: PlantedRows) -> tuple[tuple[str, ...], ...]:
    clusters = tuple(tuple(f"{side}{i}" for i in range(1, 6)) for side in ("syn-N", "syn-S"))
    for members in clusters:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                _link(p, f"{a}-{b}", "associate", a, "MM", b, "MM")
    for member in ("syn-N1", "syn-N2", "syn-S1", "syn-S2"):
        _link(p, f"broker-{member}", "associate", "syn-broker", "CN", member, "MM")
    return clusters


def _recruiter(p: PlantedRows) -> dict[str, str]:
    victims = {"victim-VN": "VN", "victim-ID": "ID", "victim-PH": "PH"}
    cid, cname, country = COMPOUND
    for k, (victim, nationality) in enumerate(victims.items()):
        _link(p, f"recruited-{victim}", "recruited", "recruiter", "TH", victim, nationality)
        p.add("compound_staff", [f"CASE-PL-{k}", _pid(victim), _name(victim), cid, cname, country, "trafficked",
                                 "held"], Person=_pid(victim), Compound=cid)
    return {_pid(v): c for v, c in victims.items()}


def _rings(p: PlantedRows) -> None:
    local, operator, e164 = PHONE
    phone = _model().node_id("Phone", {"number": e164})
    for name in ("ring-phone-1", "ring-phone-2", "ring-phone-3"):
        p.add("subscribers", [local, operator, _pid(name), _name(name), "TH", "2024-05-01"],
              Person=_pid(name), Phone=phone)
    for name in ("ring-doc-1", "ring-doc-2", "ring-doc-3"):
        _link(p, f"doc-{name}", "holds_document", name, "TH")


def planted_rows() -> tuple[PlantedRows, PlantedAnswers]:
    """The planted rows (the same at every scale and seed) and what the analytics must find."""
    p = PlantedRows()
    _mule_ring(p)
    _co_travel(p)
    clusters = _syndicates(p)
    recruited = _recruiter(p)
    _rings(p)
    answers = PlantedAnswers(
        mule_start=account_id("M1"), mule_trail=(account_id("M1"), account_id("M2"), account_id("M3"), wallet_id()),
        mule_decoys=(account_id("D1"), account_id("D2")), wallet=wallet_id(), traveller=_pid("T1"),
        co_travellers=tuple(_pid(n) for n in ("T2", "T3", "T4")), late_traveller=_pid("T-late"),
        broker=_pid("syn-broker"), clusters=tuple(tuple(_pid(n) for n in c) for c in clusters),
        recruiter=_pid("recruiter"), recruited=recruited,
        phone=_model().node_id("Phone", {"number": PHONE[2]}),
        phone_ring=tuple(_pid(f"ring-phone-{i}") for i in (1, 2, 3)), document=document_id(),
        document_ring=tuple(_pid(f"ring-doc-{i}") for i in (1, 2, 3)),
    )
    return p, answers
