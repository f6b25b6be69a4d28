"""A function called in a fresh process of its own, its texts (if any) sent over a pipe.

A cold build fits three TF-IDF models per language (generator.enrich.vectors);
the first, every word of every article, is most of the work. Counted in a
second process, it leaves this one free to fit the others and to work out
each article's own facts meanwhile (generator.build.plugin), and then to
count the texts not sent yet alongside it (`keep_tail`). A forked process
would share the build's memory until either wrote to a page, and the build,
working meanwhile, touches every article: at 100,000 articles the pages held
twice took the peak from 3.7 GB to 4.6 GB. This one starts fresh (`python -m
generator.enrich.fit_process`, importing what the build would), reads the
function to call and then the texts, pickled in batches, from its standard
input, and answers with the function's result (or the exception it raised)
on its standard output. The function reads the texts as they arrive: it
starts with the first batch and holds no more of them than it keeps, and
the build makes each batch as it sends it.

The build's related step, worked out ahead while Pelican reads the sources
(generator.build.related_step), is called the same way, without texts: a
forked process there hung in the sparse product, whose OpenMP threads do not
survive a fork of a process that used them (a second build in one process).
Such a process can be started before its function is known (`start_process`),
importing the modules the function will need while it waits for it.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence

#: Texts pickled together: large enough to pickle fast, small enough that the two processes
#: share the last texts evenly (`keep_tail`).
BATCH = 200


class FitProcess:
    """`function(texts[:end])`, called in a fresh process; `result()` waits for it. The function
    gets the texts as an iterator, as they arrive: it can start before the last is sent. `end`
    is the texts' length unless `keep_tail` lowers it. Without texts: `function()`."""

    def __init__(
        self, function: Callable, texts: Sequence[str] | None = None, process: subprocess.Popen | None = None
    ) -> None:
        #: `process`: one `start_process` started and nothing has used; else a new one.
        self._process = process or start_process()
        self._with_texts = texts is not None
        self._texts = texts if texts is not None else ()
        self._lock = threading.Lock()
        self._sent = 0
        self._end = len(self._texts)
        self._sender = threading.Thread(target=self._send, args=(function,), daemon=True)
        self._sender.start()

    @property
    def pid(self) -> int:
        """The fitting process's id."""
        return self._process.pid

    def keep_tail(self) -> int:
        """Send only 2/5 of the texts not sent yet; where the rest, kept for the caller to do
        itself, starts. The process still has the texts sent but not yet read: both parts then
        take about as long."""
        with self._lock:
            self._end = self._sent + (self._end - self._sent) * 2 // 5
            return self._end

    def _send(self, function: Callable) -> None:
        """On a thread of the build's process, which meanwhile works on its own. A batch is pickled
        whole and written at once: `pickle.dump` to the pipe wrote it frame by frame, and this thread
        then waited for the interpreter's lock after each frame while the build held it. At
        10,000 stories the process got 1,800 texts in the 1.2 s the build spent working meanwhile,
        and waited 1.3 s for them; written at once, 7,200, having waited 0.05 s."""
        try:
            with self._process.stdin as pipe:
                pickle.dump((function, self._with_texts), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                while batch := self._next_batch():
                    pipe.write(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
                pickle.dump([], pipe)
        except BrokenPipeError:  # the process ended early: result() says how
            pass

    def _next_batch(self) -> list[str]:
        with self._lock:
            start, self._sent = self._sent, min(self._sent + BATCH, self._end)
            return list(self._texts[start : self._sent])

    def result(self):
        """What the function returned, or the exception it raised raised again here;
        RuntimeError if the process itself failed (its error is on stderr)."""
        try:
            with self._process.stdout as pipe:
                outcome = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            outcome = None
        finally:
            self._sender.join()
            code = self._process.wait()
        if code or outcome is None:
            raise RuntimeError(f"the process fitting a model failed (exit code {code}); its error is above")
        returned, value = outcome
        if not returned:
            raise value
        return value

    def close(self) -> None:
        """Stop the process if it still runs: the build stopped before it asked for the result."""
        if self._process.poll() is None:
            self._process.kill()
        self._sender.join()
        self._process.stdout.close()
        self._process.wait()


def start_process(preload: Sequence[str] = ()) -> subprocess.Popen:
    """A fresh Python running `main`, waiting for its function on its standard input; it imports the
    modules named in `preload` meanwhile."""
    return subprocess.Popen(
        [sys.executable, "-m", __name__, *preload],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(path or os.curdir for path in sys.path)},
    )


def stop_process(process: subprocess.Popen) -> None:
    """End a process `start_process` started that was never given a function."""
    if process.poll() is None:
        process.kill()
    process.stdin.close()
    process.stdout.close()
    process.wait()


def main() -> None:
    """Import the modules named on the command line; call the function read from standard input
    with the texts that follow it, as they arrive (or with none); write what it returned, or the
    exception it raised, to standard output."""
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot corrupt the answer
    for name in sys.argv[1:]:
        importlib.import_module(name)
    source = sys.stdin.buffer
    try:
        function, with_texts = pickle.load(source)
        outcome = True, function(_received(source)) if with_texts else function()
    except EOFError:  # the build stopped sending: nobody waits for an answer
        sys.exit(1)
    except Exception as error:  # raised again in the build, as it would have been there
        outcome = False, error
    with answer:
        pickle.dump(outcome, answer, protocol=pickle.HIGHEST_PROTOCOL)


def _received(source) -> Iterator[str]:
    """The texts, batch by batch as they are sent, up to the empty batch that ends them."""
    while batch := pickle.load(source):
        yield from batch


if __name__ == "__main__":
    main()
