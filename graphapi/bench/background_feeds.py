"""The background population of the generated feeds: entities drawn from the seed, and each feed's rows.

Hubs: callers, callees, transfer parties, checkpoints and compounds are drawn with power-law
weights (``rank = n * u**gamma``: the entity of rank ``r`` gets a share proportional to
``r**(1/gamma - 1)``), then spread over the id space, so a few scam-compound lines and mule
accounts carry thousands of events while most entities have a handful (Barabási-Albert style
heavy tails, as in real CDR and payment graphs).

The CDR's ``call_type`` is the operator's word for a voice call in one of several spellings
(``VOICE``, ``MOC``, ``โทร``, ...; by row number, no random draw), for the bench mapping's value
map and condition.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

#: How the CDR's operator writes a voice call (``call_type``), in turn.
CALL_TYPES = ("VOICE", "voice", "MOC", "MTC", "Voice call", "โทร")

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


def _parties(sender: _PowerLaw, receiver: _PowerLaw, n: int) -> tuple[int, int]:
    """An event's two parties of ``n``: one drawn by ``sender``, then one by ``receiver``, moved on
    by one when it is the sender (no one calls or pays themself)."""
    a, b = sender(), receiver()
    if a == b:
        b = (b + 1) % n
    return a, b


def _ts(rng: random.Random) -> str:
    return (_T0 + timedelta(seconds=rng.randrange(_SPAN_S))).strftime("%Y-%m-%dT%H:%M:%SZ")


class World:
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


def background_rows(w: World, rows: dict[str, int]) -> dict[str, tuple[list[str], Callable[[], Iterator[list]]]]:
    """Each background feed's header and a function that yields its ``rows[feed]`` rows, drawn from
    ``w.rng`` in the order :func:`graphapi.bench.generate.generate` writes the feeds."""
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
            a, b = _parties(caller, callee, n["Phone"])
            yield [f"CDR{k:09d}", w.phones[a][0], w.phones[b][0], _ts(rng), rng.randrange(5, 3600),
                   f"CELL-{w.phones[a][1]}-{rng.randrange(500):03d}", CALL_TYPES[k % len(CALL_TYPES)]]

    def bank_transfers() -> Iterator[list]:
        sender, receiver = _PowerLaw(rng, n["BankAccount"], 1.6), _PowerLaw(rng, n["BankAccount"], 2.8)
        for k in range(rows["bank_transfers"]):
            a, b = _parties(sender, receiver, n["BankAccount"])
            ca, ba, na, cur = w.account(a)
            cb, bb, nb, _ = w.account(b)
            yield [f"TX{k:010d}", ba, na, ca, bb, nb, cb, f"{rng.lognormvariate(6, 1.5):.2f}", cur, _ts(rng)]

    def chain_transfers() -> Iterator[list]:
        sender, receiver = _PowerLaw(rng, n["CryptoWallet"], 1.6), _PowerLaw(rng, n["CryptoWallet"], 3.0)
        for _k in range(rows["chain_transfers"]):
            a, b = _parties(sender, receiver, n["CryptoWallet"])
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
