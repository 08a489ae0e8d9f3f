"""Run a function in a short-lived worker process that is killed when it runs too long.

Why a process: PDF rendering and the rendering of templates written by association admins
are CPU-bound and can be made arbitrarily slow by their input (a loop inside a loop, a
table of a million rows). A thread cannot be stopped and SIGALRM only works in the main
thread, so neither really bounds the time of a web request served by a threaded server.
A process can be killed: `run_in_worker` waits at most `timeout` seconds for the answer,
then sends SIGKILL; its address space can be capped too (RLIMIT_AS), so a document that
tries to build gigabytes of text fails with MemoryError instead of starving the machine.

Why `forkserver`: the workers are forked from a small single-threaded server process
started once per web or Celery process, which imports WeasyPrint and renders a tiny
document at start-up (`core.pdf_preload`), so each worker starts warm (fonts loaded) in a
few milliseconds, and forking never copies the threads or locks of the web process.
The worker receives only plain, picklable data and never touches the database.

Celery's prefork pool (billiard) and pre-forking servers fork the process that imported
this module: a forked child forgets its parent's fork server and starts its own, and the
pool's "daemonic" flag and key type are adapted while a worker starts (see
`_children_allowed`). Both cases are covered by tests/core/test_bounded.py.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import resource
import threading
import traceback
from collections.abc import Iterator
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from multiprocessing.process import AuthenticationString  # type: ignore[attr-defined]
from typing import Any

_CONTEXT = multiprocessing.get_context("forkserver")
# "__main__" first: each worker runs the preparation of a spawned process, which imports
# the main script (manage.py, gunicorn's, celery's, pytest's) unless the fork server
# already did; preloading it once saves that import in every worker.
_PRELOAD: list[str] = ["__main__", "core.pdf_preload"]


class WorkerError(RuntimeError):
    """The worker failed: it raised, crashed or was killed."""


class WorkerTimeout(WorkerError):
    """The worker did not answer in time and was killed."""


def add_preload(*modules: str) -> None:
    """Modules the fork server imports once, before any worker is forked (call from ready())."""
    for module in modules:
        if module not in _PRELOAD:
            _PRELOAD.append(module)
    _CONTEXT.set_forkserver_preload(list(_PRELOAD))


def _forget_inherited_fork_server() -> None:
    """In a forked child (a process of Celery's pool, of a pre-forking server), the fork
    server belongs to the parent and cannot be waited for: start a new one when needed."""
    server: Any = forkserver._forkserver
    if server._forkserver_alive_fd is not None:
        with contextlib.suppress(OSError):
            os.close(server._forkserver_alive_fd)  # the parent's "I am alive" pipe
    server._forkserver_alive_fd = None
    server._forkserver_address = None
    server._forkserver_pid = None
    server._lock = threading.Lock()  # another thread may have held it at fork time


_CONTEXT.set_forkserver_preload(list(_PRELOAD))
os.register_at_fork(after_in_child=_forget_inherited_fork_server)


def _worker_main(
    channel: Connection, target: str, payload: Any, memory_headroom: int | None
) -> None:
    try:
        if memory_headroom is not None:
            _limit_memory(memory_headroom)
        module_name, _dot, name = target.rpartition(".")
        func = getattr(importlib.import_module(module_name), name)
        channel.send(("ok", func(payload)))
    except BaseException as error:
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        channel.send(("error", detail))
    finally:
        channel.close()


def _limit_memory(headroom: int) -> None:
    """Cap the worker's address space at its size when forked plus `headroom` bytes, so
    that a runaway document fails with MemoryError instead of exhausting the machine."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: the time limit still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + headroom
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_in_worker(
    target: str, payload: Any, *, timeout: float, memory_headroom: int | None = None
) -> Any:
    """`target(payload)` in a fresh worker process; WorkerTimeout after `timeout` seconds.

    `target` is the dotted path of a module-level function ("core.pdf_worker.write_pdf"),
    so that the web process need not import what only the worker uses (WeasyPrint);
    `payload` and the result must be picklable. `memory_headroom` (bytes) caps the memory
    the worker may allocate beyond what it had when forked.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_worker_main, args=(sender, target, payload, memory_headroom), daemon=True
    )
    process.authkey = os.urandom(32)  # its own key, of multiprocessing's type (see below)
    try:
        with _children_allowed():
            process.start()
    except BaseException:
        receiver.close()
        sender.close()
        raise
    sender.close()  # only the worker writes; the parent then sees EOF if the worker dies
    try:
        status, value = _receive(receiver, timeout)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
        receiver.close()
    if status != "ok":
        raise WorkerError(value)
    return value


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a process of Celery's prefork pool (billiard) start a worker.

    Billiard marks its processes daemonic, and multiprocessing refuses to start children
    from daemonic processes lest they be orphaned; it also gives them an authentication key
    of its own type, which multiprocessing will not send to the fork server. Our workers are
    forked by the fork server, not by this process, and are always killed and joined before
    run_in_worker returns, so while one starts the flag is lifted and the key is presented
    as multiprocessing's own type (pool processes are single-threaded: nothing else sees it).
    """
    current = multiprocessing.current_process()
    config: dict[str, Any] = current._config  # type: ignore[attr-defined]
    saved = dict(config)
    if current.daemon:
        config["daemon"] = False
    if "authkey" in config and not isinstance(config["authkey"], AuthenticationString):
        config["authkey"] = AuthenticationString(bytes(config["authkey"]))
    try:
        yield
    finally:
        config.clear()
        config.update(saved)


def _receive(receiver: Connection, timeout: float) -> tuple[str, Any]:
    if not receiver.poll(timeout):
        raise WorkerTimeout(f"no answer within {timeout} s")
    try:
        answer: tuple[str, Any] = receiver.recv()
    except EOFError:
        raise WorkerError("the worker process died without answering") from None
    return answer
