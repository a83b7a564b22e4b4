"""Synthetic syndicate feeds for the bench: partner-feed CSV files with a fixed seed.

Shape (scale ``S = 1``: about 1,000,000 nodes and 5,000,000 relationships; every count scales
linearly, with small floors so that tiny scales still have every kind of node):

=====================  =========  ==========================================================
feed file              rows (S=1) what it asserts
=====================  =========  ==========================================================
subscribers.csv          370,000  SIM registration: Person -USES_PHONE-> Phone (national format)
account_holders.csv      200,000  bank KYC: Person -HOLDS_ACCOUNT-> BankAccount
wallet_holders.csv       100,000  exchange KYC: Person -CONTROLS_WALLET-> CryptoWallet
compound_staff.csv       100,000  police case records: Person -WORKED_AT/HELD_AT-> Compound
cdr.csv                2,400,000  telecom call detail records: Phone -CALLED-> Phone
bank_transfers.csv     1,200,000  bank transfer reports: BankAccount -TRANSFERRED_TO-> BankAccount
chain_transfers.csv      300,000  chain analytics export: CryptoWallet -TRANSFERRED_TO-> CryptoWallet
border_crossings.csv     300,000  immigration log: Person -CROSSED-> BorderCheckpoint
exchange_deposits.csv          1  exchange on-ramp: BankAccount -TRANSFERRED_TO-> CryptoWallet
intelligence_links.csv        30  police intelligence: Person -ASSOCIATE_OF/RECRUITED-> Person,
                                  Person -HOLDS_DOCUMENT-> IdentityDocument
=====================  =========  ==========================================================

Planted structures: at every scale and seed the feeds also hold the issue's known structures and
decoys (a mule ring layering into a Tron wallet, four co-travellers, two syndicates and their
broker, a recruiter of victims of three nationalities, shared-phone and shared-document rings),
with entities of their own: :mod:`graphapi.bench.planted_feeds`, whose rows are the only rows of
the last two feeds and are appended to the others (counts above are the background's).

Nodes at S=1: 330,000 people, 370,000 phones, 200,000 bank accounts, 100,000 wallets, 200
compounds, 100 checkpoints. Every generated entity appears in some feed, and every event row
is its own relationship (calls, transfers and crossings carry their record id or transaction id),
so the loaded graph has exactly :attr:`Manifest.nodes` nodes and :attr:`Manifest.relationships`
relationships.

Hubs: callers, callees, transfer parties, checkpoints and compounds are drawn with power-law
weights (``rank = n * u**gamma``: the entity of rank ``r`` gets a share proportional to
``r**(1/gamma - 1)``), then spread over the id space, so a few scam-compound lines and mule
accounts carry thousands of events while most entities have a handful (Barabási-Albert style
heavy tails, as in real CDR and payment graphs).

The CDR's ``call_type`` is the operator's word for a voice call in one of several spellings
(``VOICE``, ``MOC``, ``โทร``, ...; by row number, no random draw), for the bench mapping's value
map and condition.

Timestamps: ISO 8601 UTC (``2024-03-05T12:34:56Z``) over 2023-01-01 .. 2024-12-31. Values are
synthetic and labelled so (``source`` column and the manifest); any resemblance of a generated
number to a real subscriber's is chance.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from graphapi.bench.planted_feeds import EXTRA_FEEDS, LINK_TYPES, planted_rows
from graphapi.ingest.identity.banks import named_bank

#: Version of the generator's output; bump when the files change so cached feeds are rebuilt.
GENERATOR_VERSION = 4  # 4: the manifest counts the Bank nodes and AT_BANK links a load derives
DEFAULT_SEED = 20261129

#: How the CDR's operator writes a voice call (``call_type``), in turn.
CALL_TYPES = ("VOICE", "voice", "MOC", "MTC", "Voice call", "โทร")

#: Entity and row counts at scale 1.
NODES_AT_1 = {"Person": 330_000, "Phone": 370_000, "BankAccount": 200_000, "CryptoWallet": 100_000,
              "Compound": 200, "BorderCheckpoint": 100}
ROWS_AT_1 = {"subscribers": 370_000, "account_holders": 200_000, "wallet_holders": 100_000,
             "compound_staff": 100_000, "cdr": 2_400_000, "bank_transfers": 1_200_000,
             "chain_transfers": 300_000, "border_crossings": 300_000}
#: Floors so that S=0.001 still has every kind of node and a few hubs.
NODE_FLOORS = {"Compound": 3, "BorderCheckpoint": 4}

# Mobile number blocks: E.164 prefix, digits to draw (all draws are valid per phonenumbers
# metadata), national trunk prefix to write the number the way a local operator would.
_PHONE_BLOCKS = {
    "TH": ("+66812", 6, "0"), "MM": ("+95921", 5, "0"), "KH": ("+855912", 5, "0"),
    "LA": ("+85620231", 5, "0"), "CN": ("+8613123", 6, ""), "VN": ("+849123", 5, "0"),
    "ID": ("+62812", 6, "0"), "PH": ("+639051", 6, "0"), "MY": ("+60123", 6, "0"),
}
_BANKS = {"TH": ["KBANK", "SCB", "BBL"], "MM": ["KBZ", "AYA"], "KH": ["ABA", "ACLEDA"], "LA": ["BCEL"],
          "CN": ["ICBC", "BOC"], "VN": ["VCB"], "ID": ["BCA"], "PH": ["BDO"], "MY": ["MAYBANK"]}
_CURRENCY = {"TH": "THB", "MM": "MMK", "KH": "USD", "LA": "LAK", "CN": "CNY", "VN": "VND", "ID": "IDR",
             "PH": "PHP", "MY": "MYR"}
_COUNTRIES = list(_PHONE_BLOCKS)
_SYLLABLES = ["an", "ba", "chen", "da", "hla", "jin", "kyaw", "la", "min", "nu", "phon", "ra", "sok",
              "thu", "vi", "wei", "xin", "yan", "zaw", "mai", "lin", "tun", "aye", "som", "chai"]
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_T0 = datetime(2023, 1, 1, tzinfo=UTC)
_SPAN_S = 2 * 365 * 24 * 3600
SOURCE = "bench-synthetic"


@dataclass
class Manifest:
    """What :func:`generate` wrote: files (feed name -> file name), rows per feed, and the node
    and relationship totals a complete load of all feeds yields."""

    scale: float
    seed: int
    version: int
    files: dict[str, str]
    rows: dict[str, int]
    nodes_by_label: dict[str, int]
    relationships_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        """Distinct nodes in the feeds."""
        return sum(self.nodes_by_label.values())

    @property
    def relationships(self) -> int:
        """Distinct relationships in the feeds (one per row)."""
        return sum(self.relationships_by_type.values())

    def to_json(self) -> str:
        """The manifest as JSON (what ``manifest.json`` holds)."""
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Read a manifest written by :meth:`to_json`."""
        return cls(**json.loads(text))


def counts_for(scale: float) -> tuple[dict[str, int], dict[str, int]]:
    """``(nodes by label, rows by feed)`` at ``scale`` (> 0). Raises ValueError otherwise."""
    if not scale > 0:
        raise ValueError(f"scale must be > 0, got {scale}")
    nodes = {k: max(NODE_FLOORS.get(k, 2), round(v * scale)) for k, v in NODES_AT_1.items()}
    rows = {k: max(1, round(v * scale)) for k, v in ROWS_AT_1.items()}
    # Every phone, account and wallet has its KYC row; staff are distinct people.
    rows["subscribers"] = nodes["Phone"]
    rows["account_holders"] = nodes["BankAccount"]
    rows["wallet_holders"] = nodes["CryptoWallet"]
    rows["compound_staff"] = min(rows["compound_staff"], nodes["Person"])
    rows["border_crossings"] = max(rows["border_crossings"], nodes["BorderCheckpoint"])
    # People: each needs at least one row, so there are never more than the KYC rows can cover.
    nodes["Person"] = min(nodes["Person"], nodes["Phone"])
    return nodes, rows


class _PowerLaw:
    """Draw indexes in ``[0, n)`` with power-law weights, hubs spread over the id space."""

    def __init__(self, rng: random.Random, n: int, gamma: float) -> None:
        self.rng, self.n, self.gamma = rng, n, gamma
        # A multiplier coprime to n spreads ranks 0, 1, 2 ... over the id space.
        self.mult = next(m for m in range(max(2, n // 3 + 1), 10 * n + 3) if _gcd(m, n) == 1) if n > 1 else 1
        self.offset = rng.randrange(n)

    def __call__(self) -> int:
        rank = int(self.n * self.rng.random() ** self.gamma)
        return (rank * self.mult + self.offset) % self.n


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _ts(rng: random.Random) -> str:
    return (_T0 + timedelta(seconds=rng.randrange(_SPAN_S))).strftime("%Y-%m-%dT%H:%M:%SZ")


class _World:
    """The entities, generated deterministically from the seed."""

    def __init__(self, rng: random.Random, nodes: dict[str, int]) -> None:
        self.rng = rng
        self.n = nodes
        self.phones: list[tuple[str, str]] = []  # (E.164, country)
        seen: set[str] = set()
        for i in range(nodes["Phone"]):
            country = _COUNTRIES[i % len(_COUNTRIES)]
            prefix, digits, _trunk = _PHONE_BLOCKS[country]
            while True:
                number = prefix + "".join(rng.choice("0123456789") for _ in range(digits))
                if number not in seen:
                    seen.add(number)
                    break
            self.phones.append((number, country))

    def person_id(self, i: int) -> str:
        return f"bench-person-{i:07d}"

    def person_name(self, i: int) -> str:
        r = random.Random(i * 7919 + 17)
        return " ".join(r.choice(_SYLLABLES).capitalize() + r.choice(_SYLLABLES) for _ in range(r.choice((2, 3))))

    def person_country(self, i: int) -> str:
        return _COUNTRIES[(i * 31) % len(_COUNTRIES)]

    def account(self, i: int) -> tuple[str, str, str, str]:
        """(country, bank code, account number, currency)."""
        country = _COUNTRIES[(i * 7) % len(_COUNTRIES)]
        banks = _BANKS[country]
        return country, banks[i % len(banks)], f"{100000000 + i * 37:010d}", _CURRENCY[country]

    def wallet(self, i: int) -> tuple[str, str]:
        """(chain, address): Tron addresses (USDT-TRC20, the scam-compound rail), some Ethereum."""
        r = random.Random(i * 104729 + 3)
        if i % 5 == 4:
            return "ETH", "0x" + "".join(r.choice("0123456789abcdef") for _ in range(40))
        return "TRX", "T" + "".join(r.choice(_BASE58) for _ in range(33))

    def compound(self, i: int) -> tuple[str, str, str]:
        country = ("MM", "KH", "LA", "PH")[i % 4]
        return f"bench-compound-{i:05d}", f"Compound {i} ({country})", country

    def checkpoint(self, i: int) -> tuple[str, str, str]:
        pairs = ("TH-MM", "TH-LA", "TH-KH", "CN-MM", "KH-VN", "LA-CN", "MY-TH")
        pair = pairs[i % len(pairs)]
        return f"bench-checkpoint-{i:04d}", f"Checkpoint {i} {pair}", pair


def _national(number: str, country: str) -> str:
    prefix, _digits, trunk = _PHONE_BLOCKS[country]
    cc_len = {"TH": 3, "MM": 3, "KH": 4, "LA": 4, "CN": 3, "VN": 3, "ID": 3, "PH": 3, "MY": 3}[country]
    nsn = number[cc_len:]
    return f"{trunk}{nsn[:2]} {nsn[2:5]} {nsn[5:]}"


def _feeds(w: _World, rows: dict[str, int]) -> dict[str, tuple[list[str], Callable[[], Iterator[list]]]]:
    rng = w.rng
    n = w.n

    def subscribers() -> Iterator[list]:
        for i, (number, country) in enumerate(w.phones):
            p = i % n["Person"]
            yield [_national(number, country), country, w.person_id(p), w.person_name(p), w.person_country(p),
                   _ts(rng)[:10]]

    def account_holders() -> Iterator[list]:
        for i in range(n["BankAccount"]):
            p = (i * 13) % n["Person"]
            country, bank, number, currency = w.account(i)
            yield [w.person_id(p), w.person_name(p), bank, number, country, currency]

    def wallet_holders() -> Iterator[list]:
        for i in range(n["CryptoWallet"]):
            p = (i * 17 + 5) % n["Person"]
            chain, address = w.wallet(i)
            yield [w.person_id(p), w.person_name(p), chain, address]

    def compound_staff() -> Iterator[list]:
        people = rng.sample(range(n["Person"]), rows["compound_staff"])
        pick = _PowerLaw(rng, n["Compound"], 2.0)
        roles = ["worker", "trafficked", "trafficked", "guard", "manager", "recruiter"]
        for k, p in enumerate(people):
            c = k if k < n["Compound"] else pick()
            cid, cname, country = w.compound(c)
            role = roles[rng.randrange(len(roles))]
            yield [f"CASE-{k // 50:06d}", w.person_id(p), w.person_name(p), cid, cname, country, role,
                   "held" if role == "trafficked" else "worked"]

    def cdr() -> Iterator[list]:
        caller, callee = _PowerLaw(rng, n["Phone"], 2.5), _PowerLaw(rng, n["Phone"], 1.8)
        for k in range(rows["cdr"]):
            a = caller()
            b = callee()
            if a == b:
                b = (b + 1) % n["Phone"]
            yield [f"CDR{k:09d}", w.phones[a][0], w.phones[b][0], _ts(rng), rng.randrange(5, 3600),
                   f"CELL-{w.phones[a][1]}-{rng.randrange(500):03d}", CALL_TYPES[k % len(CALL_TYPES)]]

    def bank_transfers() -> Iterator[list]:
        sender, receiver = _PowerLaw(rng, n["BankAccount"], 1.6), _PowerLaw(rng, n["BankAccount"], 2.8)
        for k in range(rows["bank_transfers"]):
            a, b = sender(), receiver()
            if a == b:
                b = (b + 1) % n["BankAccount"]
            ca, ba, na, cur = w.account(a)
            cb, bb, nb, _ = w.account(b)
            yield [f"TX{k:010d}", ba, na, ca, bb, nb, cb, f"{rng.lognormvariate(6, 1.5):.2f}", cur, _ts(rng)]

    def chain_transfers() -> Iterator[list]:
        sender, receiver = _PowerLaw(rng, n["CryptoWallet"], 1.6), _PowerLaw(rng, n["CryptoWallet"], 3.0)
        for _k in range(rows["chain_transfers"]):
            a, b = sender(), receiver()
            if a == b:
                b = (b + 1) % n["CryptoWallet"]
            chain_a, addr_a = w.wallet(a)
            # A transfer stays on its chain: wallets with index % 5 == 4 are ETH, the rest TRX.
            want_eth = chain_a == "ETH"
            if (b % 5 == 4) != want_eth or b == a:
                b = (b // 5) * 5 + (4 if want_eth else (b % 4))
                if b >= n["CryptoWallet"] or b == a:
                    b = a - 5 if a >= 5 else a + 5
            chain_b, addr_b = w.wallet(b)
            token = "USDT" if chain_a == "TRX" else "ETH"
            tx = "".join(rng.choice("0123456789abcdef") for _ in range(64))
            yield [chain_a, addr_a, addr_b, f"{rng.lognormvariate(5, 1.8):.2f}", token, _ts(rng), tx]

    def border_crossings() -> Iterator[list]:
        traveller = _PowerLaw(rng, n["Person"], 1.5)
        pick = _PowerLaw(rng, n["BorderCheckpoint"], 2.0)
        for k in range(rows["border_crossings"]):
            p = traveller()
            c = k if k < n["BorderCheckpoint"] else pick()
            cid, cname, pair = w.checkpoint(c)
            yield [f"IMM{k:09d}", w.person_id(p), w.person_name(p), w.person_country(p),
                   f"{w.person_country(p)}{p:08d}", cid, cname, pair, rng.choice(("entry", "exit")), _ts(rng)]

    return {
        "subscribers": (["msisdn", "operator_country", "subscriber_id", "name", "nationality", "registered"],
                        subscribers),
        "account_holders": (["holder_id", "holder_name", "bank", "account_number", "country", "currency"],
                            account_holders),
        "wallet_holders": (["holder_id", "holder_name", "chain", "address"], wallet_holders),
        "compound_staff": (["case_number", "person_id", "name", "compound_id", "compound_name", "compound_country",
                            "role", "kind"], compound_staff),
        "cdr": (["record_id", "caller", "callee", "start_time", "duration_s", "cell_id", "call_type"], cdr),
        "bank_transfers": (["reference", "from_bank", "from_account", "from_country", "to_bank", "to_account",
                            "to_country", "amount", "currency", "value_time"], bank_transfers),
        "chain_transfers": (["chain", "from_address", "to_address", "amount", "token", "block_time", "tx_hash"],
                            chain_transfers),
        "border_crossings": (["record_id", "person_id", "name", "nationality", "document_number", "checkpoint_id",
                              "checkpoint_name", "countries", "direction", "crossed_at"], border_crossings),
    }


#: Relationship type asserted by each feed's rows (compound_staff: WORKED_AT or HELD_AT per row).
FEED_RELATIONSHIP = {"subscribers": "USES_PHONE", "account_holders": "HOLDS_ACCOUNT",
                     "wallet_holders": "CONTROLS_WALLET", "cdr": "CALLED", "bank_transfers": "TRANSFERRED_TO",
                     "chain_transfers": "TRANSFERRED_TO", "border_crossings": "CROSSED",
                     "exchange_deposits": "TRANSFERRED_TO"}


#: Account columns of the feeds that name one: (country, bank, number) column names.
_ACCOUNT_COLUMNS = (("country", "bank", "account_number"), ("from_country", "from_bank", "from_account"),
                    ("to_country", "to_bank", "to_account"))


def _account_columns(header: list[str]) -> list[tuple[int, int, int]]:
    """Positions of each (country, bank, number) column triple ``header`` holds."""
    return [(header.index(c), header.index(b), header.index(n)) for c, b, n in _ACCOUNT_COLUMNS
            if c in header and b in header and n in header]


def bank_links(accounts: set[tuple[str, str, str]]) -> tuple[int, int]:
    """``(AT_BANK links, Bank nodes)`` a load of the feeds derives from their ``accounts``
    (country, bank code, number): one link per account at a bank the gazetteer knows, one node
    per such bank (:mod:`graphapi.ingest.identity.banks`)."""
    entries: dict[str, Any] = {}
    linked: set[tuple[str, str, str]] = set()
    for country, bank, number in accounts:
        if bank not in entries:
            entries[bank] = named_bank({"bankCode": bank})[0]
        if entries[bank] is not None:
            linked.add((country, entries[bank].id, number))
    return len(linked), len({e.id for e in entries.values() if e is not None})


def generate(out_dir: Path, scale: float = 0.05, seed: int = DEFAULT_SEED) -> Manifest:
    """Write the feed CSVs and ``manifest.json`` for ``scale`` into ``out_dir``; returns the manifest.

    Deterministic: the same scale, seed and :data:`GENERATOR_VERSION` give byte-identical files.
    Feeds are written in dependency order (entities' KYC feeds before event feeds). Raises
    ValueError for a scale <= 0 and OSError if the directory cannot be written.
    """
    nodes, rows = counts_for(scale)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = _World(rng, nodes)
    files: dict[str, str] = {}
    written: dict[str, int] = {}
    rels: dict[str, int] = {}
    staff_kinds = {"WORKED_AT": 0, "HELD_AT": 0}
    planted, _answers = planted_rows()
    feeds = {feed: (header, lambda make=make, feed=feed: chain(make(), planted.rows.get(feed, [])))
             for feed, (header, make) in _feeds(world, rows).items()}
    feeds |= {feed: (header, lambda feed=feed: iter(planted.rows[feed])) for feed, header in EXTRA_FEEDS.items()}
    accounts: set[tuple[str, str, str]] = set()  # (country, bank, number) of every account row
    for feed, (header, make) in feeds.items():
        path = out_dir / f"{feed}.csv"
        count = 0
        columns = _account_columns(header)
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            for row in make():
                out.writerow(row)
                count += 1
                accounts.update((row[c], row[b], row[n]) for c, b, n in columns)
                if feed == "compound_staff":
                    staff_kinds["HELD_AT" if row[-1] == "held" else "WORKED_AT"] += 1
                elif feed == "intelligence_links":
                    rels[LINK_TYPES[row[1]]] = rels.get(LINK_TYPES[row[1]], 0) + 1
        files[feed] = path.name
        written[feed] = count
        if feed in FEED_RELATIONSHIP:
            rel = FEED_RELATIONSHIP[feed]
            rels[rel] = rels.get(rel, 0) + count
    rels.update({k: v for k, v in staff_kinds.items() if v})
    all_nodes = dict(nodes)
    for label, count in planted.nodes_by_label().items():
        all_nodes[label] = all_nodes.get(label, 0) + count  # the planted entities are their own
    links, banks = bank_links(accounts)
    if links:  # the loader links each account of a bank the gazetteer knows to its one Bank node
        rels["AT_BANK"] = links
        all_nodes["Bank"] = all_nodes.get("Bank", 0) + banks
    manifest = Manifest(scale=scale, seed=seed, version=GENERATOR_VERSION, files=files, rows=written,
                        nodes_by_label=all_nodes, relationships_by_type=rels)
    (out_dir / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def cached_or_generate(root: Path, scale: float, seed: int = DEFAULT_SEED) -> tuple[Manifest, Path, bool]:
    """Reuse ``root/S<scale>-seed<seed>`` if its manifest matches, else generate it there.

    Returns ``(manifest, directory, reused)``.
    """
    out_dir = Path(root) / f"S{scale:g}-seed{seed}"
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists():
        try:
            m = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
            if m.version == GENERATOR_VERSION and m.scale == scale and m.seed == seed and all(
                (out_dir / f).exists() for f in m.files.values()
            ):
                return m, out_dir, True
        except (ValueError, TypeError, KeyError):
            pass
    return generate(out_dir, scale, seed), out_dir, False
