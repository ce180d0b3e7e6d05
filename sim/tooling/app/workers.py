"""Worker processes for the page's runs, so that the page stays responsive and can cancel.

The workers are spawned once (each imports the model once, about a second) and kept for the
next comparison. Cancelling kills them (a run cannot be interrupted half-way otherwise); the
next comparison starts new ones. A run that raises is reported as one line and the other runs
go on; a worker that dies (killed, out of memory) fails the runs still pending, never the page.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from sim.api import simulate
from sim.params import SimParams
from sim.run_notes import RunNotes
from sim.tooling.isolation import die_with_parent

POLL_S = 0.2


@dataclass(frozen=True)
class Job:
    """One run: its parameters and notes, and the folder its results are saved into."""

    key: str
    params: SimParams
    notes: RunNotes | None
    folder: Path


def save_run(job: Job) -> None:
    """Simulate `job` and save its results; the folder appears whole or not at all."""
    results = simulate(job.params, job.notes)
    partial = job.folder.with_name(f".{job.folder.name}.{os.getpid()}")
    results.save(partial)
    try:
        partial.rename(job.folder)
    except OSError:  # saved meanwhile by another worker: the same results
        shutil.rmtree(partial, ignore_errors=True)


def _serve(tasks: Any, done: Any) -> None:
    """A worker's loop: run jobs until a None arrives; report (key, error or None)."""
    die_with_parent()
    while (job := tasks.get()) is not None:
        try:
            save_run(job)
            done.put((job.key, None))
        except Exception as error:  # one line for the page; the worker goes on
            done.put((job.key, f"{type(error).__name__}: {error}".splitlines()[0]))


class Workers:
    """A fixed number of spawned worker processes fed from one queue."""

    def __init__(self, processes: int = 2) -> None:
        self.processes = processes
        self._procs: list[BaseProcess] = []
        self._tasks: Any = None
        self._done: Any = None

    @property
    def alive(self) -> int:
        """How many worker processes are running."""
        return sum(p.is_alive() for p in self._procs)

    def start(self) -> None:
        """Start the workers if they are not running."""
        if self._procs and all(p.is_alive() for p in self._procs):
            return
        self.stop()
        context = multiprocessing.get_context("spawn")
        self._tasks, self._done = context.Queue(), context.Queue()
        self._procs = [
            context.Process(target=_serve, args=(self._tasks, self._done), daemon=True)
            for _ in range(self.processes)
        ]
        for process in self._procs:
            process.start()

    def stop(self) -> None:
        """Kill the workers (whatever they are running) and forget their queues."""
        for process in self._procs:
            process.kill()
        for process in self._procs:
            process.join(timeout=5)
        for channel in (self._tasks, self._done):
            if channel is not None:
                channel.close()
        self._procs, self._tasks, self._done = [], None, None

    def run(
        self,
        jobs: Sequence[Job],
        finished: Callable[[str, str | None], None],
        cancelled: Callable[[], bool],
    ) -> bool:
        """Run `jobs`, calling `finished(key, error)` as each ends; False if cancelled.

        `cancelled` is polled a few times a second: when it turns true the workers are killed.
        """
        if not jobs:
            return True
        self.start()
        for job in jobs:
            self._tasks.put(job)
        left = {job.key for job in jobs}
        while left:
            if cancelled():
                self.stop()
                return False
            try:
                key, error = self._done.get(timeout=POLL_S)
            except queue.Empty:
                dead = [p for p in self._procs if not p.is_alive()]
                if dead:
                    self.stop()
                    why = f"a worker process ended (exit code {dead[0].exitcode})"
                    for key in sorted(left):
                        finished(key, why)
                    return True
                continue
            left.discard(key)
            finished(key, error)
        return True
