"""The gazetteers' reference data is loaded before an agency's load writes, and the API's
background load of it is tried until it succeeds (attack round 16, R1d: one failure, another
writer holding the lease past the wait or the store restarting, left a deployment's new entries
unloaded for the process's life, and an agency's feed then made a listed checkpoint its own)."""

from __future__ import annotations

import pytest

from graphapi.ingest import reference_data
from graphapi.store.errors import WriteLeaseBusy

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_the_background_load_of_the_reference_data_is_tried_again_until_it_succeeds(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    answers: list[object] = [WriteLeaseBusy("another writer has held the lease"), ConnectionError("restarting"), 151]

    async def ensure(_store: object) -> int:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    monkeypatch.setattr(reference_data, "ensure_reference_data", ensure)
    assert await reference_data.keep_ensuring_reference_data(object(), first_pause_s=0.001) == 151  # type: ignore[arg-type]
    assert answers == []
    assert caplog.text.count("could not load the gazetteers' reference data") == 2


async def test_the_reference_ids_are_read_once_per_deployment_folder_list(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("LINTAS_GAZETTEERS", raising=False)
    shipped = reference_data.reference_ids()
    assert "bcp-th-mm-mae-sot" in shipped and "bank-th-ktb" in shipped
    (tmp_path / "checkpoints-local.yaml").write_text(
        "entries:\n  - {id: bcp-th-mm-future-gate, name: Future Gate, countries: [TH, MM], kind: land}\n",
        encoding="utf-8")
    from graphapi.ingest.identity.gazetteer import gazetteer

    monkeypatch.setenv("LINTAS_GAZETTEERS", str(tmp_path))
    gazetteer.cache_clear()
    try:
        assert set(reference_data.reference_ids()) == {*shipped, "bcp-th-mm-future-gate"}
    finally:
        monkeypatch.delenv("LINTAS_GAZETTEERS")
        gazetteer.cache_clear()
    assert reference_data.reference_ids() == shipped
