"""PyThaiNLP's ``thai2rom_onnx`` model (RTGS spellings of Thai words) run over many words at once.

PyThaiNLP runs the model one word at a time: an encoder call, then one decoder call per letter
written, about a dozen ONNX calls a word on a session that spreads each small call over every
core. A load of many new Thai names paid that for each distinct name part (40 ms at a load
average of 15 on 2 cores: issue 12/14). :func:`model_spellings` gives the same spellings for a
list of words: words of one length go through the model together (one encoder call and one
decoder call a letter for up to :data:`BATCH` words), on sessions of one thread that does not
spin, so a load pays about a tenth of the CPU a word.

Same spellings, not close ones: the model's graph is PyThaiNLP's with its batch dimension left
free (it was exported for one word), and the words of a batch have one length, so none is padded
and each row's arithmetic is the one word's; the greedy decoding, its end token, its cut of a
repeating cycle (PyThaiNLP's own ``find_trailing_repeat_period``) and its ``<PAD>`` for a word
the model ends at once are PyThaiNLP's (``tests/ontology/types/test_thai_model.py`` compares them
with ``romanize(word, engine="thai2rom_onnx")``).

The sessions are made on the first Thai word not in the shipped table (about a second of CPU,
2.5 s with the ``onnx`` import): never for a load or a query without Thai text. The table,
``thai_spellings.tsv`` (the model's spellings of every Thai word of the shipped seed data: the
gazetteers, the samples; ``python -m graphapi.ontology.types.thai_model`` writes it again), spares
each new process the model for them: every load job process on a new store loads the gazetteers
first, and paid those seconds for their Thai names alone.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Words of one length run together up to this many (the decoder's matrices stay small).
BATCH = 256
#: PyThaiNLP's decoding limits (``ThaiTransliterator_ONNX._maxlength`` and ``_REPEAT_MIN_CYCLES``
#: of ``pythainlp.transliterate.thai2rom_onnx``, whose import makes its own sessions).
MAX_LETTERS = 100
REPEAT_MIN_CYCLES = 3

#: Spellings shipped with the code, "word<TAB>model's<TAB>royin's" a line (see the module docstring).
SHIPPED = Path(__file__).with_name("thai_spellings.tsv")
#: Thai letters and marks, not digits: the runs of a text the model spells (its words).
THAI_RUN = re.compile(r"[\u0e01-\u0e3a\u0e40-\u0e4e]+")
#: A run of Thai letters longer than this is no name: the model is not asked (royin still is).
MODEL_MAX_LETTERS = 40

_LOCK = threading.Lock()
_MODEL: _Model | None = None
_SHIPPED: tuple[dict[str, str], dict[str, str]] | None = None


def loaded() -> bool:
    """True once the model's sessions are made (a load without Thai text never makes them)."""
    return _MODEL is not None


def model_spellings(words: Iterable[str], *, shipped: bool = True) -> dict[str, str]:
    """The model's spelling of each distinct word of ``words`` (Thai letters, no space), as
    ``pythainlp.transliterate.romanize(word, engine="thai2rom_onnx")`` gives it: from the shipped
    table where it holds the word (``shipped=False``: from the model, always)."""
    known = shipped_spellings() if shipped else {}
    out: dict[str, str] = {}
    by_length: dict[int, list[str]] = {}
    for word in dict.fromkeys(words):
        if word in known:
            out[word] = known[word]
        else:
            by_length.setdefault(len(word), []).append(word)
    if not by_length:
        return out
    model = _model()
    for same in by_length.values():
        for start in range(0, len(same), BATCH):
            batch = same[start:start + BATCH]
            out.update(zip(batch, model.spell(batch), strict=True))
    return out


def shipped_spellings() -> dict[str, str]:
    """The model's spelling of each word of the shipped table (:data:`SHIPPED`)."""
    return _shipped()[0]


def shipped_royin() -> dict[str, str]:
    """PyThaiNLP's ``royin`` spelling of each word or chunk of the shipped table."""
    return _shipped()[1]


def _shipped() -> tuple[dict[str, str], dict[str, str]]:
    """The shipped table, read once: (word -> model's spelling, for the model's words; word or
    chunk -> royin's spelling)."""
    global _SHIPPED
    if _SHIPPED is None:
        text = SHIPPED.read_text(encoding="utf-8") if SHIPPED.exists() else ""
        rows = [line.split("\t") for line in text.split("\n") if line]
        _SHIPPED = ({word: model for word, model, _ in rows if model}, {word: royin for word, _, royin in rows})
    return _SHIPPED


def model_word(text: str) -> bool:
    """True if the loader gives ``text`` to the model: one Thai run of at most
    :data:`MODEL_MAX_LETTERS` letters."""
    return len(text) <= MODEL_MAX_LETTERS and THAI_RUN.fullmatch(text) is not None


def seed_words(seed: Path) -> list[str]:
    """The Thai words (:data:`THAI_RUN`) and the space-free chunks holding Thai (a checkpoint's
    "ด่านสุไหงโก-ลก") of the seed data's YAML and CSV files under ``seed``."""
    words: set[str] = set()
    for path in sorted(seed.rglob("*")):
        if path.suffix in {".yaml", ".csv"}:
            text = path.read_text(encoding="utf-8")
            words.update(w for w in THAI_RUN.findall(text) if model_word(w))
            words.update(c for c in re.findall(r"[^\s\"',:\[\]{}|#]+", text) if THAI_RUN.search(c))
    return sorted(words)


def write_shipped(words: Iterable[str], path: Path = SHIPPED) -> int:
    """Write the model's (for a model's word) and PyThaiNLP's ``royin`` spellings of ``words``
    as the shipped table; the number written."""
    from pythainlp.transliterate import romanize

    words = sorted(set(words))
    spelled = model_spellings([w for w in words if model_word(w)], shipped=False)
    path.write_text("".join(f"{w}\t{spelled.get(w, '')}\t{romanize(w, engine='royin')}\n" for w in words),
                    encoding="utf-8")
    return len(words)


def _model() -> _Model:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            _MODEL = _Model()
        return _MODEL


def _free_batch(model_bytes: bytes, batch_axis: dict[str, int]) -> bytes:
    """The ONNX graph ``model_bytes`` with the batch axis of its inputs and outputs (``batch_axis``
    by name, else the first) and every other fixed axis but the last made free: PyThaiNLP's graph
    was exported for one word (the attention output also for one length of word)."""
    import onnx

    graph = onnx.load_from_string(model_bytes)
    for value in [*graph.graph.input, *graph.graph.output]:
        dims = value.type.tensor_type.shape.dim
        axis = batch_axis.get(value.name, 0)
        for i, dim in enumerate(dims):
            if i == axis:
                dim.dim_param = "batch"
            elif i < len(dims) - 1 and dim.HasField("dim_value"):
                dim.dim_param = f"{value.name}_{i}"
    del graph.graph.value_info[:]  # the traced shapes inside, of one word
    return graph.SerializeToString()


class _Model:
    """The model's two sessions and its character tables (PyThaiNLP's files, in its wheel)."""

    def __init__(self) -> None:
        # The files ship in PyThaiNLP's wheel; offline, PyThaiNLP never tries to fetch them.
        os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
        import onnxruntime
        from pythainlp.corpus import get_corpus_path

        def path(name: str) -> str:
            found = get_corpus_path(name)
            if not found:
                raise FileNotFoundError(f"PyThaiNLP's {name} is not installed")
            return str(found)

        with open(path("thai2rom_config_onnx"), encoding="utf-8") as f:
            config = json.load(f)
        self.char_to_ix: dict[str, int] = config["char_to_ix"]
        target = config["target_char_to_ix"]
        self.start, self.end = target["<start>"], target["<end>"]
        self.ix_to_target: dict[int, str] = {int(k): v for k, v in config["ix_to_target_char"].items()}
        # One thread, no spinning: the loader's other threads and processes have the cores, and a
        # pool spinning on two cores under load made each small call ten times slower.
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # its shape notes on the freed axes are no warnings

        def session(name: str, batch_axis: dict[str, int]) -> Any:
            with open(path(name), "rb") as f:
                graph = _free_batch(f.read(), batch_axis)
            return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

        self.encoder = session("thai2rom_encoder_onnx", {"encoder_hidden_1": 1, "encoder_hidden_2": 1})
        self.decoder = session("thai2rom_decoder_onnx", {"decoder_hidden_1": 1, "decoder_hidden_2": 1})
        self.decoder_outputs = [o.name for o in self.decoder.get_outputs()[:2]]

    def spell(self, words: list[str]) -> list[str]:
        """The spellings of ``words``, all of one length (none padded)."""
        import numpy as np
        from pythainlp.transliterate._repetition import find_trailing_repeat_period

        unknown = self.char_to_ix["<UNK>"]
        rows = [[self.char_to_ix.get(ch, unknown) for ch in word] + [self.char_to_ix["<end>"]] for word in words]
        source = np.array(rows, dtype=np.int64)
        size = len(words)
        outputs, hidden, _ = self.encoder.run(None, {
            "input_tensor": source, "input_lengths": np.full(size, source.shape[1], dtype=np.int32)})
        state = np.expand_dims(np.concatenate((hidden[0], hidden[1]), axis=1), axis=0)
        mask = (source[:, :outputs.shape[1]] != 0).astype(np.float32)  # PyThaiNLP's pad index is 0
        step = np.full((size, 1), self.start, dtype=np.int32)
        written: list[list[int]] = [[] for _ in words]
        open_rows = set(range(size))
        for _ in range(MAX_LETTERS):
            scores, state = self.decoder.run(self.decoder_outputs, {
                "decoder_input": step, "decoder_hidden_1": state, "encoder_outputs": outputs, "mask": mask})
            best = np.argmax(scores, axis=1)
            for row in list(open_rows):
                token = int(best[row])
                if token == self.end:
                    open_rows.discard(row)
                    continue
                tokens = written[row]
                tokens.append(token)
                period = find_trailing_repeat_period(tokens, min_repeats=REPEAT_MIN_CYCLES)
                if period is not None:  # stuck in a loop: one copy of the cycle kept
                    del tokens[len(tokens) - period * (REPEAT_MIN_CYCLES - 1):]
                    open_rows.discard(row)
            if not open_rows:
                break
            step = best.reshape(size, 1).astype(np.int32)
        # PyThaiNLP writes "<PAD>" for a word the model ends at once
        return ["".join(self.ix_to_target[t] for t in tokens) if tokens else "<PAD>" for tokens in written]


if __name__ == "__main__":
    from graphapi.resources import SEED

    print(f"wrote {write_shipped(seed_words(Path(SEED)))} spellings to {SHIPPED}", file=sys.stderr)
