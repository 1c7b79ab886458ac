"""Solving in a process of its own: the window shares neither its interpreter nor its memory with a search.

The desktop application runs every solve here. The search's millions of short-lived objects
and its garbage collections never pause the window (they once did, for half a second), a
solve that needs more memory than it may use fails alone with a clear message, and a solve
that crashes leaves the application running. The solving process reads the problem from the
database and saves its plan there itself; only progress figures and the result come back.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

from deployer.domain.errors import DomainError
from deployer.domain.problem import ObjectiveWeights
from deployer.services.rostering import CHECKPOINT_EVERY, SolvedPlan, solve_operation
from deployer.solver.engine import Progress, ProgressCallback, SolveParameters
from deployer.store.database import Database

__all__ = ["SolveFailed", "SolveJob", "default_memory_limit", "solve_in_process"]


@dataclass(frozen=True)
class SolveJob:
    """Everything the solving process needs: where the data is, what to solve and how."""

    url: str
    actor: str
    operation: str
    params: SolveParameters
    reroster_of: int | None = None
    weights: ObjectiveWeights | None = None
    memory_limit: int | None = None
    """Bytes of address space the solving process may use (None: no limit of its own)."""
    checkpoint_every: float | None = CHECKPOINT_EVERY


class SolveFailed(Exception):
    """The solve ended without a result; the message says why in a planner's words."""


def default_memory_limit() -> int:
    """Three quarters of this computer's memory: the rest is left to the window and the system."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 3 // 4


def solve_in_process(
    job: SolveJob, on_progress: ProgressCallback | None = None, stop: threading.Event | None = None
) -> SolvedPlan:
    """Run ``job`` in a new process, relaying its progress; ``stop`` ends its search early."""
    context = multiprocessing.get_context("spawn")  # a fork of a Qt process with threads is unsafe
    receiver, sender = context.Pipe(duplex=False)
    halt_reader, halt = context.Pipe(duplex=False)  # not an Event: its set() hangs once a waiter died
    process = context.Process(
        target=_solve_here, args=(job, sender, halt_reader), name="deployer-solve", daemon=True
    )
    process.start()
    sender.close()
    halt_reader.close()
    outcome = None
    try:
        outcome = _relay(receiver, process, halt, on_progress, stop)
    finally:
        if outcome is None and process.is_alive():
            process.kill()  # the caller failed while relaying: do not leave a search running
        process.join()
        receiver.close()
        halt.close()
    if outcome is None:
        raise SolveFailed(_died(process.exitcode, job.memory_limit))
    kind, payload = outcome
    if kind == "done":
        assert isinstance(payload, SolvedPlan)
        return payload
    raise SolveFailed(str(payload))


def _relay(
    receiver: Connection,
    process: multiprocessing.process.BaseProcess,
    halt: Connection,
    on_progress: ProgressCallback | None,
    stop: threading.Event | None,
) -> tuple[str, object] | None:
    """Pass progress on until the process sends its outcome (None if it died without one)."""
    halted = False
    while True:
        if stop is not None and stop.is_set() and not halted:
            halted = True
            with contextlib.suppress(OSError):
                halt.send("stop")
        if not receiver.poll(0.1):
            if process.is_alive():
                continue
            if not receiver.poll(0):
                return None
        try:
            kind, payload = receiver.recv()
        except EOFError:
            return None
        if kind != "progress":
            return kind, payload
        if on_progress is not None:
            on_progress(payload)


def _died(exitcode: int | None, memory_limit: int | None) -> str:
    how = f"was killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exited with code {exitcode}"
    memory = (
        f" It most likely ran out of the {_size(memory_limit)} of memory a solve may use:"
        " shorten the operation's dates, or solve fewer sites at a time."
        if memory_limit and exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
        else ""
    )
    return (
        f"The solving process {how} before it finished.{memory} No plan was saved; if it had found a"
        " roster, it can be recovered from the Solve panel."
    )


def _solve_here(job: SolveJob, sender: Connection, halt: Connection) -> None:
    """The solving process: solve, save the plan, send the outcome (or why there is none)."""
    if job.memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (job.memory_limit, job.memory_limit))
    stop = threading.Event()

    def watch() -> None:  # a stop asked for, or the window gone (end of file): end the search
        while not stop.is_set():
            if halt.poll(0.2):
                stop.set()

    def relay(progress: Progress) -> None:
        try:
            sender.send(("progress", progress))
        except OSError:  # the window is gone
            stop.set()

    db: Database | None = None
    try:
        # Inside the try: under a limit on address space even the watcher's stack may not fit,
        # and the window must hear that as running out of memory, not as a process that died.
        threading.Thread(target=watch, daemon=True).start()
        db = Database(job.url, actor=job.actor, migrate=False)
        solved = solve_operation(
            db, job.operation, job.params, relay, stop, job.actor, job.reroster_of, job.weights,
            job.checkpoint_every,
        )  # fmt: skip
        outcome: tuple[str, object] = ("done", solved)
    except DomainError as error:
        outcome = ("failed", str(error))
    except Exception as error:  # noqa: BLE001 - reported to the window, which keeps running
        outcome = ("failed", failure(error, job.memory_limit))
    finally:
        stop.set()
        if db is not None:
            db.close()
    with contextlib.suppress(OSError):  # the window is gone; the plan (if any) is saved
        sender.send(outcome)


def failure(error: Exception, memory_limit: int | None) -> str:
    """What the window says of a solve that raised ``error``: running out of memory (under a limit
    on address space, a new thread's stack may not fit either) or anything else."""
    refused = isinstance(error, RuntimeError) and "can't start new thread" in str(error)
    if isinstance(error, MemoryError) or (memory_limit and refused):
        return _out_of_memory(memory_limit)
    return f"The solve failed ({type(error).__name__}: {error}). Nothing was saved."


def _out_of_memory(limit: int | None) -> str:
    share = f"the {_size(limit)} of" if limit else "all the"
    return (
        f"The solve needed more than {share} memory it may use, and stopped. No plan was saved"
        " (a roster it had found can be recovered from the Solve panel); shorten the"
        " operation's dates, or solve fewer sites at a time."
    )


def _size(limit: int) -> str:
    return f"{limit / 2**30:.1f} GB" if limit >= 2**30 else f"{limit // 2**20} MB"
