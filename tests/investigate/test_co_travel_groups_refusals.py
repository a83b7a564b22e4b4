"""A coTravelGroups refusal depends on the caller's agency alone: other agencies' requests take no
place of its share and change neither how many it gets nor what it is told (attack round a-78, 3:
two agencies' 6 + 2 requests filled the process's eight places and every other agency was refused;
4: how many places an agency got, and the message, told how many requests the others ran)."""

from contextlib import ExitStack

import graphapi.investigate.cotravel_threads as threads_module
from graphapi.errors import public_error
from graphapi.security import Principal


def _analyst(agency: str | None, n: int = 0) -> Principal:
    return Principal(f"analyst-{agency}-{n}", agency=agency, roles=frozenset({"analyst"}))


def _places_until_refused(principal: Principal) -> tuple[int, tuple[str, str]]:
    """How many places ``principal`` takes before a refusal, and the refusal (all given back)."""
    with ExitStack() as stack:
        for k in range(20):
            try:
                stack.enter_context(threads_module.grouping_slot(principal))
            except threads_module.GroupingsBusy as refused:
                return k, public_error(refused)
    raise AssertionError("never refused")


def _with_others_running(others: dict[str, int], principal: Principal) -> tuple[int, tuple[str, str]]:
    with ExitStack() as stack:
        for agency, count in others.items():
            for i in range(count):
                stack.enter_context(threads_module.grouping_slot(_analyst(agency, i)))
        return _places_until_refused(principal)


SAYS = ("RATE_LIMITED", "your agency already has 6 coTravelGroups requests running or waiting on this server, "
        "as many as it may have; retry when one ends")


def test_an_agency_gets_its_whole_share_while_two_others_hold_theirs():
    got = {agency: _with_others_running({"TH-DSI": 6, "KH-NP": 6}, _analyst(agency))
           for agency in ("VN-MPS", "MM-MPF", "LA-MPS")}
    assert got == {agency: (6, SAYS) for agency in ("VN-MPS", "MM-MPF", "LA-MPS")}  # was 0 places each


def test_the_refusal_is_the_same_whatever_other_agencies_run():
    seen = {others: _with_others_running({"TH-DSI": others}, _analyst("VN-MPS")) for others in (0, 3, 6)}
    assert seen == {0: (6, SAYS), 3: (6, SAYS), 6: (6, SAYS)}  # was 6, 5 and 2 places


def test_a_principal_without_an_agency_is_told_of_its_own_share():
    assert _places_until_refused(_analyst(None)) == (6, (
        "RATE_LIMITED", "you already have 6 coTravelGroups requests running or waiting on this server, "
        "as many as you may have; retry when one ends"))
