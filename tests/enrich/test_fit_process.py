"""generator.enrich.fit_process: a function called in a fresh process with texts sent over a pipe."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence

import pytest

from generator.enrich.fit_process import BATCH, FitProcess, start_process, stop_process


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


def _loaded(name: str) -> bool:
    return name in sys.modules


def test_a_process_started_ahead_imports_its_modules_while_it_waits_and_runs_the_function_given():
    """generator.build.links_ahead.Spare: started before the build knows its work, the process imports
    what the work needs meanwhile; the work is then done in that process, not a new one."""
    started = start_process(["colorsys"])  # a module nothing here imports
    process = FitProcess(functools.partial(_loaded, "colorsys"), process=started)
    assert process.result() is True and process.pid == started.pid
    process.close()
    process = FitProcess(functools.partial(_loaded, "colorsys"))
    assert process.result() is False
    process.close()


def test_a_process_started_ahead_and_never_given_work_is_stopped():
    started = start_process(["colorsys"])
    stop_process(started)
    with pytest.raises(ProcessLookupError):  # ended, and waited for
        os.kill(started.pid, 0)
