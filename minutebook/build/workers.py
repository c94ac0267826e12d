"""Parallel work for the stages that pay for it: the same results, in the same order, from every core.

Workers are forked, so they start with the parent's memory (the model, the
planner, the Jinja environment) and are given nothing but numbers: task i
of a list. Results come back in input order, so a parallel build writes
exactly the bytes a serial one does. Tasks are handed out a few at a time
as results come back, so neither side ever waits on a full pipe. Ctrl-C
stops the parent, which kills its workers; the workers themselves ignore it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from .. import children
from . import memory

T = TypeVar("T")
Tick = Callable[[int], None]  # told how many items were just done, for the progress line
PARALLEL_MIN = 48  # below this many items, starting processes costs more than it saves
AHEAD = 2  # chunks of work waiting at each worker, so none sits idle while its next chunk travels
YIELDING_NICENESS = 10  # a task for a later build gives way to this build's stages (see Background)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class _Failed:
    """What a worker sends back instead of results when a task raised."""

    error: BaseException
    frames: tuple[tuple[str, int], ...]  # (file, line) of the worker's traceback: templates name their lines


def run(
    task: Callable[[int], T],
    count: int,
    jobs: int,
    tick: Callable[[int], None] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[T]:
    """[task(0), …, task(count - 1)], spread over `jobs` forked processes when that pays.

    `sizes` says how many items each task covers, when tasks are groups: they are then handed out one by one
    (put the largest first, so the cores finish together), and the progress ticks count items.
    """
    weights = [1] * count if sizes is None else list(sizes)
    if jobs <= 1 or sum(weights) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [_ticked(task(i), tick, weights[i]) for i in range(count)]
    size = 1 if sizes is not None else max(1, min(64, count // (jobs * 8)))
    chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
    return _Pool(task, min(jobs, len(chunks))).map(chunks, count, weights, tick)


class _Pool:
    """Forked workers each reading chunks of task numbers from its own pipe and sending back their results."""

    def __init__(self, task: Callable[[int], Any], jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        children.prepare()
        self.pipes: list[Connection] = []
        self.processes = []
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(task, theirs), daemon=True)
                with children.forking():
                    process.start()
                    self.pipes.append(ours)
                    self.processes.append(process)
                theirs.close()
        except BaseException:  # Ctrl-C while they were started: those started end now, as in `map`
            self._stop()
            raise

    def map(self, chunks: list[range], count: int, weights: list[int], tick: Callable[[int], None] | None) -> list[Any]:
        results: list[Any] = [None] * count
        try:
            self._hand_out(chunks, results, weights, tick)
        finally:
            self._stop()
        return results

    def _hand_out(
        self, chunks: list[range], results: list[Any], weights: list[int], tick: Callable[[int], None] | None
    ) -> None:
        waiting = list(reversed(chunks))
        heap = memory.Heap()  # each answer's pickle is dropped once read: an archive's plan sends back 100 MB
        busy: dict[int, int] = {}  # worker → chunks sent and not yet answered
        for worker in range(len(self.pipes)):
            busy[worker] = 0
            for _ in range(AHEAD):
                self._send(worker, waiting, busy)
        while any(busy.values()):
            ready = multiprocessing.connection.wait([self.pipes[w] for w, n in busy.items() if n])
            for worker in [w for w, pipe in enumerate(self.pipes) if pipe in ready]:
                answer = self.pipes[worker].recv()
                busy[worker] -= 1
                if isinstance(answer, _Failed):
                    answer.error.worker_frames = answer.frames  # type: ignore[attr-defined]
                    raise answer.error
                start, values = answer
                results[start : start + len(values)] = values
                for i in range(start, start + len(values)):
                    _ticked(None, tick, weights[i])
                self._send(worker, waiting, busy)
                heap.tidy()

    def _send(self, worker: int, waiting: list[range], busy: dict[int, int]) -> None:
        if waiting:
            chunk = waiting.pop()
            self.pipes[worker].send((chunk.start, chunk.stop))
            busy[worker] += 1

    def _stop(self) -> None:
        """Done, failed or interrupted: every worker ends now, none is left behind."""
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for process in self.processes:
            process.join(timeout=0.2)
            if process.is_alive():
                process.kill()
                process.join()
        for pipe in self.pipes:
            pipe.close()


def _serve(task: Callable[[int], Any], pipe: Connection) -> None:
    """A worker: read (start, stop), answer with the task's results for those numbers, until told to stop."""
    children.ignore_interrupts()
    memory.in_worker()
    heap = memory.Heap()
    while (job := pipe.recv()) is not None:
        start, stop = job
        try:
            answer: Any = (start, [task(i) for i in range(start, stop)])
        except Exception as error:  # sent to the parent, which raises it in the build
            frames = tuple((f.filename, f.lineno or 0) for f in traceback.extract_tb(error.__traceback__))
            answer = _Failed(_sendable(error), frames)
        pipe.send(answer)
        heap.tidy()


def _sendable(error: BaseException) -> BaseException:
    """The error itself when it can travel between processes, else one with its message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _ticked(value: T, tick: Callable[[int], None] | None, items: int = 1) -> T:
    if tick is not None:
        tick(items)
    return value


class Background:
    """One task run in a forked process while the build goes on: writing a model to the cache folder costs an
    archive a second of pickling, and listing a large output folder half a second, which the build's next
    stages need not wait for. `wait` (or `result`) before relying on it.

    The process ignores Ctrl-C, so a stopped build still finishes (or never starts) each file it writes, and
    dies with the build if that is killed; where processes cannot be forked, the task runs here and now.
    `yielding`: the task is for a later build (a result saved to the cache folder), so it runs at a lower
    priority, on what the build's own stages leave of the cores; the build waits for it only at its end.
    """

    def __init__(self, task: Callable[[], object], *, yielding: bool = False) -> None:
        self.pid: int | None = None
        self.outcome: tuple[bool, object] | None = None  # (ended well, its value or what it raised)
        if "fork" not in multiprocessing.get_all_start_methods():
            self.outcome = _outcome(task)
            return
        children.prepare()
        self.reader, writer = multiprocessing.Pipe(duplex=False)
        with children.forking():
            pid = os.fork()
            if pid == 0:
                self.reader.close()
                _alone(task, writer, YIELDING_NICENESS if yielding else 0)
            self.pid = pid
        writer.close()

    def wait(self) -> bool:
        """Wait for the task to end; whether it ended well (a task that failed only costs speed next time)."""
        return self._ended()[0]

    def result(self) -> object:
        """What the task returned; what it raised is raised here."""
        ok, value = self._ended()
        if not ok:
            raise value if isinstance(value, BaseException) else RuntimeError(str(value))
        return value

    def cancel(self) -> None:
        """Stop the task if it is still running: its result is not wanted (a build that stopped early)."""
        if self.outcome is None and self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.reader.close()
            self.outcome = (False, RuntimeError("the background task was cancelled"))

    def _ended(self) -> tuple[bool, object]:
        if self.outcome is None:
            assert self.pid is not None
            try:  # read before waiting: a large result fills the pipe, and the process waits for it to be read
                self.outcome = self.reader.recv()
            except (EOFError, OSError):
                self.outcome = (False, RuntimeError("a background task ended without a result"))
            self.reader.close()
            os.waitpid(self.pid, 0)
        return self.outcome


def _outcome(task: Callable[[], object]) -> tuple[bool, object]:
    try:
        return True, task()
    except Exception as error:  # handed to whoever asks for the result
        return False, _sendable(error)


def _alone(task: Callable[[], object], writer: Connection, niceness: int) -> None:
    """In the forked process: the task, its outcome sent back, then out at once (the parent's buffers and exit
    handlers are its own)."""
    code = 1
    try:
        children.ignore_interrupts()
        memory.in_worker()
        if niceness:
            with contextlib.suppress(OSError):
                os.nice(niceness)
        outcome = _outcome(task)
        writer.send(outcome)
        code = 0 if outcome[0] else 1
    finally:
        os._exit(code)
