"""A Redis server a test may stop and start again, and a Celery app pointed at it.

In the PostgreSQL + Redis CI run it is the Redis that `.ci/run` started (REDIS_URL,
REDIS_PORT, REDIS_PIDFILE), restarted exactly the way `.ci/run` starts it, so that the CI
cleanup finds the current pid in the same pid file. Elsewhere the test starts a private
Redis on a free port and points the cache and the Celery broker at it for its duration.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kombu import pools

from carshare.celery import app

REDIS_SERVER = shutil.which("redis-server")


@dataclass
class RedisServer:
    port: int
    pidfile: Path
    logfile: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert REDIS_SERVER is not None
        subprocess.run(  # noqa: S603 - the redis-server binary with our arguments
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.logfile),
            ],
            check=True,
        )
        self._wait(lambda: self.pidfile.exists() and self.answers())

    def stop(self) -> None:
        pid = int(self.pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        self._wait(lambda: not _alive(pid) and not self.answers())

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    @staticmethod
    def _wait(condition, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("Redis did not reach the expected state")
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ci_redis() -> RedisServer | None:
    """The Redis of the CI run, when the environment names it."""
    if not os.environ.get("REDIS_URL"):
        return None
    port, pidfile = os.environ.get("REDIS_PORT"), os.environ.get("REDIS_PIDFILE")
    if not port or not pidfile:
        raise RuntimeError("REDIS_URL is set: REDIS_PORT and REDIS_PIDFILE must be set too")
    return RedisServer(int(port), Path(pidfile), Path(pidfile).with_suffix(".log"))


@contextlib.contextmanager
def celery_broker(url: str, transport_options: dict[str, object]) -> Iterator[None]:
    """Publish to `url` for real (not eagerly) while the block runs."""
    conf = app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    conf.broker_url, conf.broker_transport_options = url, transport_options
    conf.task_always_eager = False
    _reset_connection_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
        _reset_connection_pools()


def _reset_connection_pools() -> None:
    # Celery keeps a pool of broker connections for the URL it first used, kombu a
    # registry of pools per URL: both start afresh.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
