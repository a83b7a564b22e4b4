"""``resolve:`` in a value spec or a column rule: a name turned into a gazetteer's canonical id
(``docs/mappings.md``), after the spec's steps, default and map.

- ``resolve: bank``: the bank's identity (:func:`graphapi.ingest.identity.accounts.bank_code`):
  a BIC written as given (8 characters); for a bank the banks gazetteer knows by its name or id,
  its gazetteer id (``th-bbl``), as the office the key takes depends on the account's country
  (``BKKBTHBK`` in Thailand, ``BKKBKHPP`` in Cambodia, ``BKKBLA`` in Laos), the id of one
  without a BIC (an e-wallet, upper case); else the name without blanks or punctuation, upper
  case. What an account key is built from, so a feed's account meets FtM's and another feed's.
  A code alias (``SCB``, ``KBANK``) stays so cleaned: it names a bank only in its own country,
  which the account key knows and this step does not (the key resolves it:
  ``TH:SCB:...`` is Siam Commercial's, ``SG:SCB:...`` no known bank's). So the value is not
  always a BIC: an account's ``bic`` and ``bankCode`` mapped from it are resolved with the
  account's country (:func:`graphapi.ingest.mapping.plan._account_keyed`: ``bic`` the bank's BIC
  there, ``bankCode`` its identity).
- ``resolve: checkpoint`` / ``resolve: compound``: the gazetteer entry's ``id`` (``bcp-th-mm-mae-sot``)
  for any of its names; a name the gazetteer does not know gives no value, so a coalesce goes on
  to the partner's own id (``[{column: name, resolve: checkpoint}, {template: "checkpoint-{code}"}]``: ``bcp-`` ids are
  the gazetteer's, see :mod:`graphapi.ingest.reference_data`),
  and the reader flags that node ``unresolvedPlace`` for review (:mod:`.places`).
"""

from __future__ import annotations

from collections.abc import Callable

from graphapi.ingest.identity.accounts import bank_code
from graphapi.ingest.identity.gazetteer import GazetteerError, gazetteer
from graphapi.ingest.mapping.errors import MappingError

RESOLVE_KINDS = ("bank", "checkpoint", "compound")


def compile_resolve(kind: object, where: str) -> Callable[[str], str | None]:
    """The function of a ``resolve: KIND`` spec; MappingError naming ``where`` for another kind or
    a gazetteer that cannot be read."""
    if kind not in RESOLVE_KINDS:
        raise MappingError(f"{where}: resolve takes {', '.join(RESOLVE_KINDS)}, not {kind!r}")
    if kind == "bank":
        return bank_code
    try:
        places = gazetteer(f"{kind}s")
    except (GazetteerError, OSError) as exc:
        raise MappingError(f"{where}: resolve: {kind}: {exc}") from None

    def resolve_place(text: str) -> str | None:
        entry = places.resolve(text)
        return entry.id if entry is not None else None

    return resolve_place
