"""generator.enrich.fit_process: a function called in a fresh process with texts sent over a pipe."""

from __future__ import annotations

import itertools
import os
import sys

import pytest

from generator.enrich.fit_process import BATCH, FitProcess


def test_the_function_gets_every_text_in_order_across_batches():
    texts = [f"Bericht {n} über die Küste 🌊" for n in range(BATCH * 2 + 7)]
    process = FitProcess(" | ".join, iter(texts))
    assert process.result() == " | ".join(texts)
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


def test_closing_before_the_result_stops_the_process_and_its_sender():
    process = FitProcess(len, itertools.repeat("endless"))  # would send texts for ever
    process.close()
    with pytest.raises(ProcessLookupError):  # ended, and waited for
        os.kill(process.pid, 0)
