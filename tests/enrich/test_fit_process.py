"""generator.enrich.fit_process: a function called in a fresh process with texts sent over a pipe."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import pytest

from generator.enrich.fit_process import BATCH, FitProcess


def test_the_function_gets_every_text_in_order_across_batches():
    texts = [f"Bericht {n} über die Küste 🌊" for n in range(BATCH * 2 + 7)]
    process = FitProcess(" | ".join, texts)
    assert process.result() == " | ".join(texts)
    process.close()


def test_without_texts_the_function_is_called_with_nothing_in_its_own_process():
    process = FitProcess(os.getpid)
    assert process.result() == process.pid != os.getpid()
    process.close()


def test_what_the_function_raises_is_raised_again_in_the_build():
    process = FitProcess(int, ["not a number"])
    with pytest.raises(TypeError):
        process.result()
    process.close()


def test_a_process_that_ends_without_an_answer_is_an_error_with_its_exit_code():
    process = FitProcess(sys.exit, ["stopping"])
    with pytest.raises(RuntimeError, match="exit code 1"):
        process.result()
    process.close()


def test_the_caller_keeps_the_tail_and_the_process_gets_exactly_the_rest():
    texts = [f"Verslag {n} over de dijk" for n in range(BATCH * 5 + 3)]
    process = FitProcess(" | ".join, texts)
    end = process.keep_tail()
    assert 0 <= end <= len(texts) and process.keep_tail() <= end
    end = process.keep_tail()
    assert process.result() == " | ".join(texts[:end])
    process.close()


class _Endless(Sequence):
    """More texts than a test could send."""

    def __len__(self) -> int:
        return 10**12

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ["endless"] * len(range(*index.indices(len(self))))
        return "endless"


def test_closing_before_the_result_stops_the_process_and_its_sender():
    process = FitProcess(len, _Endless())
    process.close()
    with pytest.raises(ProcessLookupError):  # ended, and waited for
        os.kill(process.pid, 0)
