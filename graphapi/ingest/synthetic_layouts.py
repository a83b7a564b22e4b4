"""SYNTHETIC feeds in another partner's layout: the same facts as :mod:`graphapi.ingest.synthetic`
(same seed, same people, checkpoints and crossings), written the way a second partner writes
them, to show and test that a mapping, not code, absorbs a partner's style.

``crossings-tm``: a Thai immigration export of the border-crossing log. Other column names (some
in Thai), ids with separators (``P-0000015``), checkpoint codes in lower case, day-first dates
(``01.04.1983``, ``25/05/2026 06:47:54``), ISO alpha-3 nationalities, ``/`` between a
checkpoint's countries, the direction in Thai or English words of any case (``ขาเข้า``,
``IN``, ``departure``) and the checkpoint kind in Thai. Its mapping is
``seed/mappings/partners/crossings-tm.yaml``.

``cdr-kh``: a Cambodian operator's call records. Other column names, record ids with the
operator's prefix (``KH/CDR000000000``), numbers written with blanks and hyphens, day-first start
times, durations as ``[h:]mm:ss``, cell ids in lower case, ISO alpha-3 countries. Its mapping is
``seed/mappings/partners/cdr-kh.yaml``.

``transfers-fiu``: a financial-intelligence unit's transfer report. Other column names, banks by
their full names or in local script (``ကမ္ဘောဇဘဏ်``, ``ธนาคารกสิกรไทย``), account numbers with
hyphens (``405-1-30105-6``), ISO alpha-3 countries, amounts with thousands separators,
currencies as words (``kyat``, ``baht``, ``US$``), ISO value times. Its mapping is
``seed/mappings/partners/transfers-fiu.yaml``.

``cases-tp``: a Thai police case export. Other column names, person ids with a hyphen
(``P-0000007``), the person's part in the case and gender in Thai or English words of any case
(``ผู้เสียหาย``, ``VOT``, ``ชาย``, ``F``), day-first dates (``28/11/1984``), ISO alpha-3
citizenships, compound codes in lower case. Its mapping is ``seed/mappings/partners/cases-tp.yaml``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from graphapi.ingest.synthetic import DEFAULT_SEED, iter_feed

LAYOUTS = ("crossings-tm", "cdr-kh", "transfers-fiu", "cases-tp")

_TM_COLUMNS = ["ลำดับ", "Traveller No", "Name (as in passport)", "Nationality", "Date of Birth", "Passport No",
               "Checkpoint Code", "Checkpoint", "Countries", "ประเภทด่าน", "ทิศทาง", "Date/Time"]
_DIRECTION = {"entry": ["ขาเข้า", "เข้า", "IN", "Arrival"], "exit": ["ขาออก", "ออก", "OUT", "Departure"]}
_KIND = {"land": "ทางบก", "river": "ทางน้ำ", "sea": "ทางทะเล", "air": "ทางอากาศ", "informal": "ช่องทางธรรมชาติ"}
_ALPHA3 = {"TH": "THA", "KH": "KHM", "MM": "MMR", "LA": "LAO", "VN": "VNM", "PH": "PHL", "ID": "IDN",
           "MY": "MYS", "CN": "CHN", "LK": "LKA", "IN": "IND", "NP": "NPL", "BD": "BGD", "PK": "PAK",
           "UG": "UGA", "KE": "KEN", "ET": "ETH", "TW": "TWN", "KR": "KOR", "JP": "JPN", "US": "USA"}


def _day_first(iso: str) -> str:
    """``2026-05-25 06:47:54`` -> ``25/05/2026 06:47:54``; ``1983-04-01`` -> ``01.04.1983``."""
    day, _, time = iso.partition(" ")
    y, m, d = day.split("-")
    return f"{d}/{m}/{y} {time}" if time else f"{d}.{m}.{y}"


def _crossings_tm(rows: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(f"crossings-tm:{seed}")
    for xid, pid, name, nat, birth, doc, cp_id, cp_name, countries, kind, direction, at in iter_feed(
            "crossings", rows, seed):
        yield [xid.replace("X", "TM6-", 1), f"{pid[0]}-{pid[1:]}", name, _ALPHA3.get(nat, nat), _day_first(birth),
               doc, cp_id.lower(), cp_name, countries.replace(";", "/"), _KIND.get(kind, kind),
               rng.choice(_DIRECTION[direction]), _day_first(at)]


_CDR_KH_COLUMNS = ["CDR ID", "A Number", "B Number", "Call Start", "Duration", "IMEI", "Cell ID", "Operator Country"]
_TRANSFERS_FIU_COLUMNS = ["Ref No", "Sender Account", "Sender Bank", "Sender Country", "Beneficiary Account",
                          "Beneficiary Bank", "Beneficiary Country", "Wallet Network", "Wallet Address", "Amount",
                          "Ccy", "Value Date", "Narrative"]
#: How the FIU writes the banks of the first layout: a full name or a local-script name, each in
#: seed/gazetteers/banks.yaml.
_BANK_NAMES = {"KBZ": ["ကမ္ဘောဇဘဏ်", "KBZ Bank"], "AYA": ["ဧရာဝတီဘဏ်", "AYA Bank"],
               "ACLEDA": ["ធនាគារអេស៊ីលីដា", "ACLEDA Bank"], "KBANK": ["ธนาคารกสิกรไทย", "Kasikornbank"],
               "BBL": ["ธนาคารกรุงเทพ", "Bangkok Bank"], "SCB": ["ไทยพาณิชย์", "Siam Commercial Bank"],
               "VCB": ["Vietcombank"], "TCB": ["Techcombank"], "BDO": ["BDO Unibank"],
               "BPI": ["Bank of the Philippine Islands"], "ABA": ["ABA Bank"], "HHBANK": ["HH Bank Cambodia"]}
_CURRENCY_WORDS = {"USD": ["US$", "usd"], "THB": ["baht", "บาท"], "MMK": ["kyat", "ကျပ်"], "PHP": ["peso", "₱"],
                   "VND": ["vnd"], "KHR": ["riel"]}


def _iso_time(day_first: str) -> str:
    """``13/03/2026 03:27:38`` -> ``2026-03-13 03:27:38`` (the same local time)."""
    day, _, time = day_first.partition(" ")
    parts = day.split("/")
    return f"{parts[2]}-{parts[1]}-{parts[0]} {time}" if len(parts) == 3 else day_first  # a bad value stays


def _grouped(number: str, rng: random.Random) -> str:
    """A phone number as an operator's clerk writes it: blanks or hyphens every three digits."""
    sep = rng.choice((" ", "-"))
    head, digits = ("+", number[1:]) if number.startswith("+") else ("", number)
    return head + sep.join(digits[i:i + 3] for i in range(0, len(digits), 3))


def _mm_ss(seconds: str) -> str:
    if not seconds.isdigit():
        return seconds  # a bad or fractional value stays as written
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def _cdr_kh(rows: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(f"cdr-kh:{seed}")
    for rid, caller, callee, start, duration, imei, cell, country in iter_feed("cdr", rows, seed):
        yield [f"KH/{rid}", _grouped(caller, rng), _grouped(callee, rng), _day_first(start), _mm_ss(duration),
               imei, cell.lower(), _ALPHA3.get(country, country)]


def _account(number: str) -> str:
    """``4051301056`` -> ``405-1-30105-6``: a ten-digit domestic number with the bank's hyphens."""
    return f"{number[:3]}-{number[3]}-{number[4:9]}-{number[9]}" if len(number) == 10 and number.isdigit() else number


def _thousands(amount: str) -> str:
    """``1062.49`` -> ``1,062.49``; anything else (empty, ``n/a``, negative) as written."""
    try:
        value = float(amount)
    except ValueError:
        return amount
    return f"{value:,.2f}" if value >= 0 and amount.replace(".", "", 1).isdigit() else amount


def _transfers_fiu(rows: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(f"transfers-fiu:{seed}")
    for (ref, from_account, from_bank, from_country, to_account, to_bank, to_country, chain, wallet, amount,
         currency, at, note) in iter_feed("transfers", rows, seed):
        yield [ref, _account(from_account), rng.choice(_BANK_NAMES.get(from_bank, [from_bank])),
               _ALPHA3.get(from_country, from_country), _account(to_account),
               rng.choice(_BANK_NAMES.get(to_bank, [to_bank])) if to_bank else "",
               _ALPHA3.get(to_country, to_country), chain, wallet, _thousands(amount),
               rng.choice(_CURRENCY_WORDS.get(currency, [currency])), _iso_time(at), note]


_CASES_TP_COLUMNS = ["หน่วยงาน", "Case Ref", "Case Title", "Date Filed", "Subject ID", "Subject Name", "Involvement",
                     "Citizenship", "Sex", "DOB", "Mobile", "Site Code", "Site", "Site Country", "Date Rescued",
                     "Date Repatriated"]
_INVOLVEMENT = {"victim": ["ผู้เสียหาย", "Victim", "VOT"], "suspect": ["ผู้ต้องหา", "SUSPECT"],
                "witness": ["พยาน", "Witness"], "recruiter": ["นายหน้า", "Recruiter"]}
_SEX = {"male": ["ชาย", "M"], "female": ["หญิง", "F"]}


def _day_first_date(iso: str) -> str:
    """``1984-11-28`` -> ``28/11/1984``; anything else (empty, partial, bad) as written."""
    parts = iso.split("-")
    return f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 and all(p.isdigit() for p in parts) else iso


def _cases_tp(rows: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(f"cases-tp:{seed}")
    for (agency, case_no, title, opened, pid, name, role, nationality, gender, birth, phone, compound_id,
         compound_name, compound_country, rescued, repatriated) in iter_feed("cases", rows, seed):
        yield [agency, case_no, title, _day_first_date(opened), f"{pid[0]}-{pid[1:]}" if pid[1:].isdigit() else pid,
               name, rng.choice(_INVOLVEMENT.get(role, [role])),
               ";".join(_ALPHA3.get(n, n) for n in nationality.split(";")), rng.choice(_SEX.get(gender, [gender])),
               _day_first_date(birth), phone, compound_id.lower(), compound_name,
               _ALPHA3.get(compound_country, compound_country), _day_first_date(rescued),
               _day_first_date(repatriated)]


_LAYOUTS = {"crossings-tm": (_TM_COLUMNS, _crossings_tm), "cdr-kh": (_CDR_KH_COLUMNS, _cdr_kh),
            "transfers-fiu": (_TRANSFERS_FIU_COLUMNS, _transfers_fiu), "cases-tp": (_CASES_TP_COLUMNS, _cases_tp)}


def generate_layout(layout: str, rows: int, path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write ``rows`` rows of ``layout`` (see :data:`LAYOUTS`) as CSV with a header to ``path``;
    same arguments, same bytes. Raises ``ValueError`` for an unknown layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
    columns, make = _LAYOUTS[layout]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(make(rows, seed))
    return path
