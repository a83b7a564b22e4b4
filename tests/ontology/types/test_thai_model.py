"""The RTGS model run over a batch of Thai words spells each as PyThaiNLP does one word at a
time, and a load spells its batch's Thai name parts at once (issue 12/14)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphapi.ontology.types import script, thai_model
from graphapi.ontology.types.script import latin_forms, prepare_latin_forms
from graphapi.ontology.types.thai_model import THAI_RUN

ROOT = Path(__file__).resolve().parents[3]


def _real_thai_words() -> list[str]:
    """Thai words of the shipped seed data (gazetteers, samples, mappings) and every 500th given
    name and surname of PyThaiNLP's lists: real names, places and banks of many lengths."""
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    words = {"ประเสริฐ", "เจริญ", "ศรีสุข", "ยิ่งลักษณ์", "ชินวัตร", "ณัฐพล"}
    for path in (ROOT / "seed").rglob("*"):
        if path.suffix in {".yaml", ".csv"}:
            words.update(THAI_RUN.findall(path.read_text(encoding="utf-8")))
    for names in (thai_family_names(), thai_male_names(), thai_female_names()):
        words.update(sorted(names)[::500])
    return sorted(w for w in words if len(w) <= 40)


def test_the_batched_model_spells_real_thai_words_as_pythainlp_does_one_by_one():
    from pythainlp.transliterate import romanize

    words = _real_thai_words()
    assert len(words) > 150
    batched = thai_model.model_spellings(words)
    alone = {w: romanize(w, engine="thai2rom_onnx") for w in words}
    assert batched == alone
    assert batched["ประเสริฐ"] == "prasoet"


def test_words_of_one_length_run_together_are_each_spelled_as_alone():
    words = ["สมชาย", "เจริญ", "สุวรร"]  # five letters each: one batch
    together = thai_model.model_spellings(words)
    assert together == {w: thai_model.model_spellings([w])[w] for w in words}
    assert together["สมชาย"] == "somchai" and together["เจริญ"] == "charoen"


def test_no_word_asks_nothing_of_the_model():
    assert thai_model.model_spellings([]) == {}


def test_a_prepared_batch_of_names_is_spelled_by_one_model_call(monkeypatch):
    names = ["สมชาย ศรีสุข", "ประเสริฐ เจริญ", "สมชาย ใจดี", "Nguyễn Thị Hoa"]
    expected = {name: latin_forms(name) for name in names}
    monkeypatch.setattr(script, "_THAI_FORMS", {})
    calls: list[list[str]] = []
    spell = thai_model.model_spellings

    def counted(words):
        words = list(words)
        calls.append(words)
        return spell(words)

    monkeypatch.setattr(script, "model_spellings", counted)
    prepare_latin_forms(names)
    assert [sorted(c) for c in calls] == [sorted(["สมชาย", "ศรีสุข", "ประเสริฐ", "เจริญ", "ใจดี"])]
    assert {name: latin_forms(name) for name in names} == expected
    assert len(calls) == 1  # the names' own spellings found the batch's


def test_a_thai_part_spelled_alone_is_spelled_as_in_a_batch(monkeypatch):
    monkeypatch.setattr(script, "_THAI_FORMS", {})
    alone = latin_forms("ยิ่งลักษณ์ ชินวัตร")
    monkeypatch.setattr(script, "_THAI_FORMS", {})
    prepare_latin_forms(["ยิ่งลักษณ์ ชินวัตร", "สมชาย ชินวัตร"])
    assert latin_forms("ยิ่งลักษณ์ ชินวัตร") == alone
    assert "yinglak chinwat" in alone


def test_names_without_thai_text_never_start_the_model():
    code = (
        "import sys\n"
        "from graphapi.ontology.types import thai_model\n"
        "from graphapi.ontology.types.script import latin_forms, prepare_latin_forms\n"
        "names = ['Nguyễn Thị Hoa', '张测试', 'Иван Тестовый', 'ហ៊ុន សែន', 'Zw\\u200bName1']\n"
        "prepare_latin_forms(names)\n"
        "[latin_forms(n) for n in names]\n"
    )
    assert _model_started_after(code) == ["False", "False", "False"]


def _model_started_after(code: str) -> list[str]:
    """Run ``code`` in a new process: whether the model, onnxruntime and PyThaiNLP were loaded."""
    code += "import sys\nprint(thai_model.loaded(), 'onnxruntime' in sys.modules, 'pythainlp' in sys.modules)\n"
    ran = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout.split()


@pytest.mark.parametrize("text", ["สมชาย\u200bใจดี", "  สมชาย  "])
def test_prepared_parts_are_the_parts_latin_forms_reads(text, monkeypatch):
    monkeypatch.setattr(script, "_THAI_FORMS", {})
    prepare_latin_forms([text])
    held = set(script._THAI_FORMS)
    latin_forms(text)
    assert set(script._THAI_FORMS) == held
    assert re.search("somchai", " ".join(latin_forms(text)))


def test_the_shipped_table_holds_the_models_and_royins_spelling_of_every_thai_word_of_the_seed_data():
    from pythainlp.transliterate import romanize

    words = thai_model.seed_words(ROOT / "seed")
    assert len(words) > 100  # the gazetteers' banks, checkpoints and compounds, the samples' names
    model_words = [w for w in words if thai_model.model_word(w)]  # "(ชาย" only royin spells
    assert thai_model.shipped_spellings() == thai_model.model_spellings(model_words, shipped=False)
    assert thai_model.shipped_royin() == {w: romanize(w, engine="royin") for w in words}
    assert thai_model.shipped_spellings()["กรุงเทพ"] == "krungthep"


def test_loading_the_gazetteers_into_a_new_store_never_starts_the_model_or_pythainlp(tmp_path):
    # each load job's process on a new store loads them first: the model cost it 2.5 s of CPU
    code = (
        "import asyncio\n"
        "from pathlib import Path\n"
        "from graphapi.ingest.reference_data import ensure_reference_data\n"
        "from graphapi.ontology.types import thai_model\n"
        "from graphapi.store.falkordb import EmbeddedStore\n"
        "async def main():\n"
        f"    store = await EmbeddedStore.open(Path({str(tmp_path)!r}), 'g')\n"
        "    await store.init_schema()\n"
        "    assert await ensure_reference_data(store) > 0\n"
        "    await store.close()\n"
        "asyncio.run(main())\n"
    )
    assert _model_started_after(code) == ["False", "False", "False"]


@pytest.mark.parametrize("chunk", ["2", "(1)", "A.B", "Ab-9", "2/3", "KM.12", "#7"])
def test_an_ascii_part_of_a_thai_name_is_its_own_royin_spelling_as_pythainlp_gives_it(chunk):
    # the loader spells it so without starting PyThaiNLP ("ด่านพรมแดน 2": its "2")
    from pythainlp.transliterate import romanize

    assert romanize(chunk, engine="royin") == chunk
    assert script._spell_thai_chunks([chunk])[chunk] == (chunk, "")
