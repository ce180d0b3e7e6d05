"""Process hygiene for sweeps: each run in its own process, tied to its parent, one at a time.

- `run_isolated` runs a function in a forked child and reports how it ended: a run killed by
  a signal (the out-of-memory killer, a `kill -9`) fails that run only, and whatever a run
  leaves in memory dies with its process, so no state leaks between runs of a reused worker;
- `die_with_parent` makes a worker process exit when its parent does (Linux: the kernel's
  parent-death signal; elsewhere a watchdog thread), so a killed `cpf-sim` takes its local
  workers with it (joblib's loky workers outlive their parent otherwise);
- `exclusive` holds an exclusive lock on a run's folder, so that two sweeps writing into one
  folder never run the same job at the same time: the second waits, then finds it complete.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import functools
import json
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".lock"
PR_SET_PDEATHSIG = 1  # linux/prctl.h

_tied = False


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, where the kernel's prctl is reachable (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _parent_death_signal(sig: int) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux only)."""
    libc = _libc()
    return libc is not None and libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0


def die_with_parent() -> None:
    """Exit when the parent process dies (idempotent; for worker processes only)."""
    global _tied
    if _tied:
        return
    _tied = True
    parent = os.getppid()
    if _parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def run_isolated(task: Callable[[], object]) -> str | None:
    """Run `task` in a forked child process; return None if it succeeded, else why it failed.

    The child dies with this process (parent-death signal). Where fork is unavailable the task
    runs in this process.

    Returns:
        None, or the failure as one line ("ValueError: ..." or "the run's process was killed
        by SIGKILL"); a raised exception's traceback follows on the next lines.
    """
    if not hasattr(os, "fork"):
        try:
            task()
        except Exception as error:
            return f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    _libc()  # loaded before the fork, so that the child only calls it
    read, write = os.pipe()
    parent = os.getpid()
    with warnings.catch_warnings():  # "fork() in a multi-threaded process": the child execs
        warnings.simplefilter("ignore", DeprecationWarning)  # no other thread's work
        pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        _parent_death_signal(signal.SIGKILL)
        outcome: dict[str, str] = {}
        code = 0
        try:
            if os.getppid() != parent:
                raise RuntimeError("the sweep process died before the run started")
            task()
        except BaseException as error:  # report everything to the parent, then exit
            outcome = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
            code = 1
        with contextlib.suppress(OSError):
            os.write(write, json.dumps(outcome).encode())
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"the run's process was killed by {name}"
    try:
        outcome = json.loads(message or b"{}")
    except ValueError:
        outcome = {}
    if os.WEXITSTATUS(status) == 0 and not outcome:
        return None
    why = outcome.get("error") or f"the run's process exited with code {os.WEXITSTATUS(status)}"
    return f"{why}\n{outcome.get('trace', '')}".rstrip()


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (waiting for another holder to finish).

    The lock is the kernel's (flock): it is released when its holder exits, however it dies,
    so a killed sweep never leaves a stale lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
