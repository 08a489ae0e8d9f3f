"""Web benchmark runner: prepare a bench database, start gunicorn on loopback with production
settings, log the bench accounts in, then load each scenario with locust (its own process)
and report p50, p95 and throughput, and their ratios to /healthz measured in the same run.

    .venv/bin/python bench/run.py --label 10k --associations 4            # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py --db postgres --label 10k ...
    .venv/bin/python bench/report.py bench/results/*.json                 # Markdown tables

Not pytest (bench/ is outside the test paths); see docs/PERFORMANCE.md for the method.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import requests
from scenarios import BY_NAME, REFERENCE, SCENARIOS, Scenario, headers_for

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
WORK = ROOT / "var" / "bench"

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


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: $DATABASE_URL)")
    parser.add_argument("--label", default="small", help="names the data set, e.g. 10k or 500k")
    parser.add_argument("--associations", type=int, default=4)
    parser.add_argument("--vehicles", type=int, default=10)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--reseed", action="store_true", help="seed again even if the data exist")
    parser.add_argument("--users", type=int, default=4, help="concurrent clients (closed loop)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per scenario")
    parser.add_argument("--warmup", type=int, default=50, help="requests before measuring")
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of all scenarios, interleaved; medians"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--scenarios", help="comma-separated names (default: all)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--output", type=Path, help="results file (default: bench/results/…)")
    return parser.parse_args()


# --- Database -----------------------------------------------------------------------------


def database_url(args: argparse.Namespace) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{WORK / f'sqlite-{args.label}.sqlite3'}"  # sqlite:////abs/path
    url = args.database_url or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--db postgres needs a postgres:// URL in --database-url or DATABASE_URL")
    if "bench" not in urlsplit(url).path:
        raise SystemExit("the bench empties its database: its name must contain 'bench'")
    return url


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def database_key(url: str) -> str:
    kind = "sqlite" if url.startswith("sqlite") else "postgres"
    return f"{kind}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def manage(env: dict[str, str], *arguments: str) -> None:
    """A management command; its output goes to stderr (stdout is for the Markdown tables)."""
    command = [str(VENV_BIN / "python"), str(ROOT / "manage.py"), *arguments]
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=sys.stderr)


def prepare_database(args: argparse.Namespace, env: dict[str, str], url: str) -> dict[str, Any]:
    """Seed the bench data unless the same scale is already there; returns the manifest."""
    manifest_path = WORK / f"{database_key(url)}-{args.label}.json"
    scale = {"associations": args.associations, "vehicles": args.vehicles, "months": args.months}
    if manifest_path.exists() and not args.reseed:
        manifest = json.loads(manifest_path.read_text())
        if all(manifest["scale"][key] == value for key, value in scale.items()):
            log(f"reusing the {args.label} data ({manifest_path.name}); --reseed to rebuild")
            return manifest
    log(f"preparing the database: {scale}")
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path(url) + suffix).unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    if not url.startswith("sqlite"):
        manage(env, "flush", "--noinput", "-v", "0")
    manage(
        env, "seed_bench", "--force", "--accounts-out", str(manifest_path),
        *[f"--{key}={value}" for key, value in scale.items()],
    )  # fmt: skip
    analyze(url)
    return json.loads(manifest_path.read_text())


def analyze(url: str) -> None:
    """Fresh planner statistics, as a production database has after autovacuum or a
    scheduled `PRAGMA optimize`."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(sqlite_path(url)) as connection:
            connection.execute("ANALYZE")
        return
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


# --- Server -------------------------------------------------------------------------------


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


# --- Log-in -------------------------------------------------------------------------------


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


def check_scenario(base: str, scenario: Scenario, sessions: list[dict[str, Any]]) -> None:
    """One request first, so that a broken scenario stops the run with a clear message."""
    account = next((a for a in sessions if scenario.accepts(a)), None)
    if account is None:
        raise SystemExit(f"no bench account can run {scenario.name!r} (missing data?)")
    body = scenario.body(account, 10**9) if scenario.body else None
    response = requests.request(
        scenario.method, base + scenario.url_path(account), json=body,
        headers=headers_for(scenario, account), allow_redirects=False, timeout=30,
    )  # fmt: skip
    if response.status_code != scenario.expect:
        raise SystemExit(
            f"{scenario.name}: HTTP {response.status_code} (expected {scenario.expect}) "
            f"on {scenario.url_path(account)}"
        )


def warm_up(base: str, scenario: Scenario, sessions: list[dict[str, Any]], count: int) -> None:
    accounts = [a for a in sessions if scenario.accepts(a)]
    with requests.Session() as http:
        for number in range(count):
            account = accounts[number % len(accounts)]
            body = scenario.body(account, 10**8 + number) if scenario.body else None
            http.request(
                scenario.method, base + scenario.url_path(account), json=body,
                headers=headers_for(scenario, account), allow_redirects=False, timeout=30,
            )  # fmt: skip


# --- Load ---------------------------------------------------------------------------------


class ServerCpu:
    """CPU seconds used by the server side: gunicorn's processes and, on PostgreSQL, the
    backends connected to the bench database. Divided by the requests of a scenario, it gives
    a cost per request that the machine's other load hardly changes (unlike latency)."""

    def __init__(self, server: subprocess.Popen[bytes], url: str) -> None:
        self.master = psutil.Process(server.pid)
        self.url = None if url.startswith("sqlite") else url

    def seconds(self) -> float:
        processes = [self.master, *self.master.children(recursive=True)]
        processes += [psutil.Process(pid) for pid in self.backend_pids()]
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def backend_pids(self) -> list[int]:
        if self.url is None:
            return []
        import psycopg2

        connection = psycopg2.connect(self.url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                return [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()


def run_locust(
    base: str,
    scenario: Scenario,
    sessions_file: Path,
    args: argparse.Namespace,
    work: Path,
    cpu: ServerCpu,
) -> dict[str, Any]:
    prefix = work / scenario.name
    command = [
        str(VENV_BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.users),
        "--run-time", f"{args.duration}s", "--host", base, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_SCENARIO": scenario.name, "BENCH_SESSIONS": str(sessions_file)}
    cpu_before = cpu.seconds()
    subprocess.run(command, env=env, cwd=BENCH, check=True, capture_output=True)
    cpu_used = cpu.seconds() - cpu_before
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        row = next(r for r in csv.DictReader(stats_file) if r["Name"] == scenario.name)
    requests_count = int(row["Request Count"])
    return {
        "requests": requests_count,
        "server_cpu_ms": round(1000 * cpu_used / max(requests_count, 1), 2),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": round(float(row["Average Response Time"]), 1),
    }


def query_counts(env: dict[str, str], sessions_file: Path, names: list[str]) -> dict[str, int]:
    output = subprocess.run(
        [str(VENV_BIN / "python"), str(BENCH / "query_counts.py"), str(sessions_file), *names],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


RATIOS = {
    "rps_vs_healthz": "rps",
    "p50_vs_healthz": "p50_ms",
    "p95_vs_healthz": "p95_ms",
    "cpu_vs_healthz": "server_cpu_ms",
}


def summarise(
    name: str, rounds: list[dict[str, Any]], references: list[dict[str, Any]]
) -> dict[str, Any]:
    """Medians over the rounds; each ratio is taken within its round (same conditions), then
    the median of the ratios."""
    result: dict[str, Any] = {
        "name": name,
        "requests": sum(r["requests"] for r in rounds),
        "failures": sum(r["failures"] for r in rounds),
    }
    for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "server_cpu_ms"):
        result[key] = statistics.median(r[key] for r in rounds)
    for ratio, key in RATIOS.items():
        values = [r[key] / ref[key] for r, ref in zip(rounds, references, strict=True) if ref[key]]
        result[ratio] = round(statistics.median(values), 3) if values else None
    result["rounds"] = rounds
    return result


def selected(args: argparse.Namespace) -> list[Scenario]:
    names = args.scenarios.split(",") if args.scenarios else [s.name for s in SCENARIOS]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown scenarios {unknown}; known: {list(BY_NAME)}")
    names = [REFERENCE, *[n for n in names if n != REFERENCE]]
    return [BY_NAME[n] for n in names]


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def stop_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so that gunicorn is stopped too


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    args = parse_args()
    scenarios = selected(args)
    WORK.mkdir(parents=True, exist_ok=True)
    url = database_url(args)
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "CARSHARE_VAR_DIR": str(WORK / "var")}
    env.pop("REDIS_URL", None)
    manifest = prepare_database(args, env, url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"gunicorn: {args.workers} workers on {base}, DEBUG=0")
    server = start_server(env, port, args.workers)
    try:
        wait_until_ready(server, base)
        with tempfile.TemporaryDirectory(prefix="carshare-bench-") as temporary:
            work = Path(temporary)
            accounts = manifest["accounts"][: max(8, 2 * args.users)]
            sessions = [log_in(base, account) for account in accounts]
            sessions_file = work / "sessions.json"
            sessions_file.write_text(json.dumps(sessions))
            log(f"{len(sessions)} bench accounts logged in")
            load_before = os.getloadavg()[0]
            cpu = ServerCpu(server, url)
            for scenario in scenarios:
                check_scenario(base, scenario, sessions)
                warm_up(base, scenario, sessions, args.warmup)
            runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in scenarios}
            for number in range(1, args.rounds + 1):
                for scenario in scenarios:
                    log(f"round {number}/{args.rounds}, {scenario.name}: {args.users} clients")
                    run = run_locust(base, scenario, sessions_file, args, work, cpu)
                    runs[scenario.name].append(run)
            counts = query_counts(env, sessions_file, [s.name for s in scenarios])
    finally:
        stop_server(server)
    results = [summarise(name, rounds, runs[REFERENCE]) for name, rounds in runs.items()]
    for result in results:
        result["queries"] = counts.get(result["name"])
    record = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": "sqlite" if url.startswith("sqlite") else "postgres",
        "label": args.label,
        "scale": manifest["scale"],
        "rows": manifest["counts"],
        "seed_seconds": manifest.get("seconds"),
        "users": args.users,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "gunicorn_workers": args.workers,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": round(load_before, 2),
        },
        "scenarios": results,
    }
    RESULTS.mkdir(exist_ok=True)
    output = (
        args.output
        or RESULTS / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{record['database']}-{args.label}.json"
    )
    output.write_text(json.dumps(record, indent=2))
    log(f"results: {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    from report import markdown

    print(markdown([record]))


if __name__ == "__main__":
    main()
