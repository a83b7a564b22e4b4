"""Synthetic partner feeds for the mapped-CSV loader, demos and benchmarks. SYNTHETIC DATA.

Nothing here is real partner data. Every value is drawn from ``random.Random(seed)``, so the same
``(feed, rows, seed)`` always gives byte-identical output. Names of checkpoints and compounds are
real public place names; people, numbers, accounts and events are invented. A few crypto
transfers go to real OFAC-listed wallets from ``seed/ofac`` so the demo links feed data to the
sanctioned networks.

Feeds (columns match ``seed/mappings/<feed>.yaml``):

- ``cdr``: record_id, caller, callee, start_time, duration_s, imei, cell_id, country
- ``transfers``: txn_ref, from_account, from_bank, from_country, to_account, to_bank,
  to_country, to_wallet_chain, to_wallet, amount, currency, value_time, reference
- ``crossings``: crossing_id, person_id, full_name, nationality, birth_date, document_no,
  checkpoint_id, checkpoint_name, checkpoint_countries, checkpoint_kind, direction, crossed_at
- ``cases``: agency, case_no, case_title, opened, person_id, full_name, role, nationality,
  gender, birth_date, phone, compound_id, compound_name, compound_country, rescued, repatriated

The phones of the case records are the first third of the phone pool; the call records call
all of it (:func:`_case_phones`).

About 1 row in 200 is deliberately bad (unparseable number, placeholder value) so that reject
reports and the placeholder exclusion list have something to do.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import phonenumbers

FEEDS = ("cdr", "transfers", "crossings", "cases")
DEFAULT_SEED = 20260301

_COLUMNS = {
    "cdr": ["record_id", "caller", "callee", "start_time", "duration_s", "imei", "cell_id", "country"],
    "transfers": ["txn_ref", "from_account", "from_bank", "from_country", "to_account", "to_bank",
                  "to_country", "to_wallet_chain", "to_wallet", "amount", "currency", "value_time",
                  "reference"],
    "crossings": ["crossing_id", "person_id", "full_name", "nationality", "birth_date", "document_no",
                  "checkpoint_id", "checkpoint_name", "checkpoint_countries", "checkpoint_kind",
                  "direction", "crossed_at"],
    "cases": ["agency", "case_no", "case_title", "opened", "person_id", "full_name", "role",
              "nationality", "gender", "birth_date", "phone", "compound_id", "compound_name",
              "compound_country", "rescued", "repatriated"],
}
_CHECKPOINTS = [
    ("TH-MM-MAESOT", "Mae Sot - Myawaddy Friendship Bridge", "TH;MM", "land"),
    ("TH-MM-MAESAI", "Mae Sai - Tachileik Bridge", "TH;MM", "land"),
    ("KH-TH-POIPET", "Poipet - Aranyaprathet", "KH;TH", "land"),
    ("KH-VN-BAVET", "Bavet - Moc Bai", "KH;VN", "land"),
    ("KH-VN-CHREYTHUM", "Chrey Thum - Long Binh", "KH;VN", "river"),
    ("KH-TH-PAILIN", "Pailin - Ban Pakkard", "KH;TH", "land"),
    ("TH-MOEI-INFORMAL", "Moei river crossing (informal)", "TH;MM", "informal"),
    ("TH-BKK-SUVARNABHUMI", "Suvarnabhumi Airport", "TH", "air"),
]
_COMPOUNDS = [
    ("MM-SHWEKOKKO", "Shwe Kokko", "MM"), ("MM-KKPARK", "KK Park", "MM"),
    ("KH-JINBEI", "Jin Bei compound, Sihanoukville", "KH"),
    ("KH-GOLDENFORTUNE", "Golden Fortune, Chrey Thum", "KH"),
    ("LA-KINGSROMANS", "Kings Romans, Golden Triangle SEZ", "LA"),
]
#: Real OFAC-listed wallets (seed/ofac): some synthetic victim payments end there.
_OFAC_WALLETS = [
    ("TRX", "TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8"),
    ("ETH", "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510"),
    ("XBT", "bc1qeth6n6ryxexvkx34wnx3nuynun4474h3j0gkhw"),
    ("XBT", "3EynPFpoGTPxU9m5bPaEDEUxUanzh7vgQP"),
]
_GIVEN = ["Aung", "Min", "Somchai", "Nari", "Dara", "Sokha", "Li", "Wei", "Mai", "Thanh", "Putri",
          "Rizal", "Kyaw", "Htet", "Chenda", "Bopha", "Arjun", "Grace", "Joy", "Rahel", "Tomas", "Yuki"]
_FAMILY = ["Tun", "Win", "Srisuk", "Chan", "Sok", "Zhang", "Wang", "Nguyen", "Tran", "Santos",
           "Reyes", "Oo", "Kim", "Lim", "Perera", "Haile", "Kaur", "Sato", "Bui", "Phan"]
_NATIONALITIES = ["TH", "MM", "KH", "VN", "PH", "ID", "CN", "LA", "IN", "ET", "KE", "LK"]
_BANKS = {"TH": ["KBANK", "SCB", "BBL"], "KH": ["ABA", "ACLEDA", "HHBANK"], "MM": ["KBZ", "AYA"],
          "VN": ["VCB", "TCB"], "PH": ["BDO", "BPI"]}
_PREFIX = {"TH": ("0", "8", 8), "KH": ("0", "1", 7), "MM": ("0", "9", 8), "VN": ("0", "9", 8),
           "PH": ("0", "9", 9)}
_T0 = datetime(2026, 1, 1)


def luhn_digit(body: str) -> str:
    """The Luhn check digit completing ``body`` (ISO/IEC 7812-1; IMEIs per 3GPP TS 23.003)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


class _World:
    """Shared pools (people, phones, accounts) so the four feeds link to each other."""

    def __init__(self, seed: int, size: int) -> None:
        # one generator per pool: the first k items of a pool do not depend on its size, so
        # feeds of different lengths made with one seed share people, phones and accounts
        self.rng = random.Random(f"{seed}:people")
        self.people = [self._person(i) for i in range(max(40, size))]
        self.rng = random.Random(f"{seed}:phones")
        self.phones = [self._phone(i) for i in range(max(60, size))]
        self.rng = random.Random(f"{seed}:imeis")
        self.imeis = [self._imei() for _ in range(max(30, size // 2))]
        self.rng = random.Random(f"{seed}:accounts")
        self.accounts = [self._account(i) for i in range(max(40, size))]

    def _person(self, i: int) -> tuple[str, str, str, str, str, str]:
        """``(person id, name, nationality, birth date, document no, gender)``: one person's facts,
        the same in every row and feed that names them."""
        r = self.rng
        pid = f"P{i:07d}"
        name = f"{r.choice(_GIVEN)} {r.choice(_FAMILY)}"
        birth = f"{r.randint(1970, 2006)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        doc = f"{r.choice('ABCEGKMNP')}{r.randint(1000000, 9999999)}"
        return pid, name, r.choice(_NATIONALITIES), birth, doc, r.choice(["male", "female"])

    def _phone(self, i: int) -> tuple[str, str]:
        cc = self.rng.choice(list(_PREFIX))
        trunk, lead, n = _PREFIX[cc]
        while True:  # draw until libphonenumber accepts it as a valid mobile number
            digits = lead + "".join(str(self.rng.randint(0, 9)) for _ in range(n))
            if phonenumbers.is_valid_number(phonenumbers.parse(f"+{_CC_CODE[cc]}{digits}")):
                return digits, cc

    def _imei(self) -> str:
        body = "35" + "".join(str(self.rng.randint(0, 9)) for _ in range(12))
        return body + luhn_digit(body)

    def _account(self, i: int) -> tuple[str, str, str]:
        cc = self.rng.choice(list(_BANKS))
        return f"{self.rng.randint(10**9, 10**10 - 1)}", self.rng.choice(_BANKS[cc]), cc


_CC_CODE = {"TH": "66", "KH": "855", "MM": "95", "VN": "84", "PH": "63"}
_AGENCIES = ["TH-DSI", "TH-ATPD", "KH-NP", "PH-NBI", "ID-POLRI"]


def _dial(phone: tuple[str, str], home: str) -> str:
    """A number as a CDR of operator country ``home`` writes it: national format for local
    numbers (the loader needs the region hint), international otherwise."""
    digits, cc = phone
    return f"{_PREFIX[cc][0]}{digits}" if cc == home else f"+{_CC_CODE[cc]}{digits}"


def _when(rng: random.Random) -> datetime:
    return _T0 + timedelta(seconds=rng.randint(0, 180 * 86400))


def _cdr(w: _World, rng: random.Random, i: int) -> list[list[str]]:
    caller, callee = rng.choice(w.phones), rng.choice(w.phones)
    home = caller[1]
    imei = w.imeis[zlib.crc32(caller[0].encode()) % len(w.imeis)] if rng.random() < 0.9 else rng.choice(w.imeis)
    caller_text = _dial(caller, home)
    bad = rng.random()
    if bad < 0.003:
        caller_text = "not-a-number"
    elif bad < 0.006:
        imei = rng.choice(["N/A", "0", "000000000000000"])
    return [[f"CDR{i:09d}", caller_text, _dial(callee, home), _when(rng).strftime("%Y-%m-%d %H:%M:%S"),
             str(rng.randint(3, 1800)), imei, f"{home}-CELL-{rng.randint(1, 400):04d}", home]]


def _transfers(w: _World, rng: random.Random, i: int) -> list[list[str]]:
    src, dst = rng.choice(w.accounts), rng.choice(w.accounts)
    chain, wallet, to_acc, to_bank, to_cc = "", "", dst[0], dst[1], dst[2]
    if rng.random() < 0.02:
        chain, wallet = rng.choice(_OFAC_WALLETS)
        to_acc = to_bank = to_cc = ""
    amount = f"{rng.lognormvariate(7, 1.3):.2f}"
    if rng.random() < 0.003:
        amount = "n/a"
    currency = {"TH": "THB", "KH": "USD", "MM": "MMK", "VN": "VND", "PH": "PHP"}[src[2]]
    return [[f"TX{i:010d}", src[0], src[1], src[2], to_acc, to_bank, to_cc, chain, wallet, amount,
             "USDT" if chain == "TRX" else currency, _when(rng).strftime("%d/%m/%Y %H:%M:%S"),
             rng.choice(["salary", "loan", "investment", "deposit", "fee", "recruitment fee", ""])]]


def _crossings(w: _World, rng: random.Random, i: int) -> list[list[str]]:
    cp = rng.choice(_CHECKPOINTS)
    at = _when(rng)
    direction = rng.choice(["entry", "exit"])
    group = rng.sample(w.people, k=rng.randint(1, 5))  # people travelling together: co-travel
    rows = []
    for j, (pid, name, nat, birth, doc, _) in enumerate(group):
        rows.append([f"X{i:09d}-{j}", pid, name, nat, birth, doc, cp[0], cp[1], cp[2], cp[3], direction,
                     (at + timedelta(seconds=rng.randint(0, 240))).isoformat(sep=" ")])
    return rows


def _case_phones(w: _World) -> int:
    """How many phones of the pool the case records name (its first third): the compound's phones
    the people of the cases used. Nearly every person of the cases is a victim in one of them, and
    a victim's phone is protected (``cypher/security/protected_ids.cypher``: a reader without
    victim-data sees a ``vid:`` token), so the call records, which call the whole pool, have two
    thirds of their phones that are nobody's victim's and read in clear to every analyst."""
    return max(1, len(w.phones) // 3)


def _cases(w: _World, rng: random.Random, i: int) -> list[list[str]]:
    case = i // 4  # about four people per case
    agency = _AGENCIES[case % len(_AGENCIES)]
    case_no = f"{agency}-2026-{case:05d}"
    pid, name, nat, birth, _, gender = rng.choice(w.people)
    role = rng.choices(["victim", "suspect", "witness", "recruiter"], weights=[6, 2, 1, 1])[0]
    comp = _COMPOUNDS[(case * 7) % len(_COMPOUNDS)]
    opened = _T0 + timedelta(days=case % 180)
    rescued = (opened - timedelta(days=rng.randint(1, 30))).date().isoformat() if role == "victim" else ""
    repat = (opened + timedelta(days=rng.randint(5, 60))).date().isoformat() if rescued and rng.random() < 0.6 else ""
    pick = rng.randrange(len(w.phones))  # the draw rng.choice(w.phones) made: other columns unchanged
    digits, cc = w.phones[pick % _case_phones(w)]
    phone = f"+{_CC_CODE[cc]}{digits}" if rng.random() < 0.7 else rng.choice(["", "N/A", "unknown"])
    return [[agency, case_no, f"Forced labour and online fraud at {comp[1]}", opened.date().isoformat(),
             pid, name, role, nat, gender, birth, phone, comp[0], comp[1],
             comp[2], rescued, repat]]


_MAKERS: dict[str, Callable[[_World, random.Random, int], list[list[str]]]] = {
    "cdr": _cdr, "transfers": _transfers, "crossings": _crossings, "cases": _cases,
}


def iter_feed(feed: str, rows: int, seed: int = DEFAULT_SEED) -> Iterator[list[str]]:
    """Yield exactly ``rows`` data rows (no header) of ``feed``; deterministic in ``seed``.

    Raises ``ValueError`` for an unknown feed (see :data:`FEEDS`).
    """
    if feed not in _MAKERS:
        raise ValueError(f"unknown feed {feed!r}; one of {FEEDS}")
    rng = random.Random(f"{feed}:{seed}")
    world = _World(seed, size=max(1, rows // 10))
    made, i = 0, 0
    while made < rows:
        for row in _MAKERS[feed](world, rng, i):
            if made >= rows:
                break
            yield row
            made += 1
        i += 1


def generate_feed(feed: str, rows: int, path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write ``rows`` rows of synthetic ``feed`` as CSV with a header row to ``path``.

    Same arguments, same bytes. Returns ``path``. Roughly 150k rows/s on one core.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_COLUMNS[feed])
        writer.writerows(iter_feed(feed, rows, seed))
    return path


def columns(feed: str) -> list[str]:
    """The CSV header of ``feed``."""
    return list(_COLUMNS[feed])
