"""gunicorn on loopback with production settings, the log-in of the bench accounts, and
the server side's CPU time."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import threading
import time
from typing import Any

import psutil
import requests
from common import ROOT, VENV_BIN

# Production settings on loopback: DEBUG off, a real secret, no HTTPS redirect (no TLS here),
# the token endpoint's rate limit raised for the log-in of the bench accounts.
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "API_TOKEN_RATE": "100000/min",
    "LOG_LEVEL": "WARNING",
    "EMAIL_URL": "locmem://",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"), "carshare.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def wait_until_ready(server: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped at start-up")
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the gunicorn master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def log_in(base: str, account: dict[str, Any]) -> dict[str, Any]:
    """A browser session through the allauth log-in form, and an API token."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise SystemExit("no CSRF token on the log-in page")
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": account["email"], "password": account["password"],
              "csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )  # fmt: skip
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"log-in of {account['email']} failed: HTTP {response.status_code}")
    token = requests.post(
        f"{base}/api/v1/auth/token/",
        json={"email": account["email"], "password": account["password"]},
        timeout=30,
    )
    token.raise_for_status()
    return {
        **account,
        "sessionid": session.cookies["sessionid"],
        "csrftoken": session.cookies["csrftoken"],
        "token": token.json()["token"],
    }


class ServerCpu:
    """CPU seconds used by the server side: gunicorn's processes and, on PostgreSQL, the
    backends connected to the bench database. Divided by the requests of a scenario, it gives
    a cost per request that the machine's other load hardly changes (unlike latency).

    Backends come and go (Django reconnects after CONN_MAX_AGE): a thread reads their CPU
    every 0.2 s and keeps the last reading of each, so a backend that ends during a scenario
    still counts what it used (before: its whole CPU vanished from the second reading, and
    a scenario could read less than its gunicorn processes alone, or a negative figure)."""

    POLL_SECONDS = 0.2

    def __init__(self, server: subprocess.Popen[bytes], url: str) -> None:
        self.master = psutil.Process(server.pid)
        self.url = None if url.startswith("sqlite") else url
        self.backends: dict[int, float] = {}  # pid -> its CPU seconds at the last reading
        self.lock = threading.Lock()
        self.connection: Any = None
        if self.url is not None:
            import psycopg2

            self.connection = psycopg2.connect(self.url)
            self.connection.autocommit = True
            threading.Thread(target=self._poll, daemon=True).start()

    def seconds(self) -> float:
        processes = [self.master, *self.master.children(recursive=True)]
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            # With the children it waited for: a PDF render runs in a short-lived worker
            # forked by the fork server, which is gone by the next reading.
            total += times.user + times.system + times.children_user + times.children_system
        if self.url is not None:
            self._read_backends()
            with self.lock:
                total += sum(self.backends.values())
        return total

    def _poll(self) -> None:
        while True:
            try:
                self._read_backends()
            except Exception:  # the bench database may be gone at the end
                return
            time.sleep(self.POLL_SECONDS)

    def _read_backends(self) -> None:
        with self.lock:  # one connection of the bench's own, kept (not counted)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                pids = [row[0] for row in cursor.fetchall()]
            for pid in pids:
                try:
                    times = psutil.Process(pid).cpu_times()
                except psutil.NoSuchProcess:
                    continue
                self.backends[pid] = times.user + times.system
