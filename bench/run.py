"""Web benchmark runner: prepare a bench database, start gunicorn on loopback with production
settings, log the bench accounts in, then load each scenario with locust (its own process)
and report p50, p95 and throughput, and their ratios to /healthz measured in the same run.

    .venv/bin/python bench/run.py --label small --associations 4          # SQLite
    .venv/bin/python bench/run.py --db postgres --database-url postgres://.../carshare_bench
    .venv/bin/python bench/report.py bench/results/*.json                 # Markdown tables

Not pytest (bench/ is outside the test paths); see docs/PERFORMANCE.md for the method.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import requests
from common import BENCH, RESULTS, ROOT, VENV_BIN, WORK, log
from database import database_key, database_url, manage, prepare_database
from scenarios import BY_NAME, REFERENCE, SCENARIOS, SLOT_BASE_ENV, Scenario, headers_for
from server import (
    SERVER_ENV,
    ServerCpu,
    free_port,
    log_in,
    start_server,
    stop_server,
    wait_until_ready,
)


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


def body_arguments(scenario: Scenario, account: dict[str, Any], n: int) -> dict[str, Any]:
    """`json=` or `data=` (a form) for requests, as the scenario sends its body."""
    if scenario.body is None:
        return {}
    body = scenario.body(account, n)
    return {"data": body} if scenario.form else {"json": body}


class SlotBlocks:
    """Hands each process that sends requests its own block of slot numbers (booking-create
    books a distinct slot per request, across every run on the same data set): the next
    free number is kept next to the data set's manifest and restarts when it is seeded."""

    def __init__(self, path: Path, duration: int) -> None:
        self.path = path
        self.size = 100 * duration + 1000  # far more requests than one process sends

    def next(self) -> str:
        first = int(self.path.read_text()) if self.path.exists() else 0
        self.path.write_text(str(first + self.size))
        return str(first)


def check_scenario(base: str, scenario: Scenario, sessions: list[dict[str, Any]]) -> None:
    """One request first, so that a broken scenario stops the run with a clear message."""
    account = next((a for a in sessions if scenario.accepts(a)), None)
    if account is None:
        raise SystemExit(f"no bench account can run {scenario.name!r} (missing data?)")
    response = requests.request(
        scenario.method, base + scenario.url_path(account), **body_arguments(scenario, account, 0),
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
            http.request(
                scenario.method, base + scenario.url_path(account),
                **body_arguments(scenario, account, 1 + number),
                headers=headers_for(scenario, account), allow_redirects=False, timeout=30,
            )  # fmt: skip


# --- Load ---------------------------------------------------------------------------------


def run_locust(
    base: str,
    scenario: Scenario,
    sessions_file: Path,
    args: argparse.Namespace,
    work: Path,
    cpu: ServerCpu,
    slots: SlotBlocks,
    *,
    retry: bool = True,
) -> dict[str, Any]:
    prefix = work / scenario.name
    users = scenario.users or args.users
    command = [
        str(VENV_BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{args.duration}s", "--host", base, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {
        **os.environ,
        "BENCH_SCENARIO": scenario.name,
        "BENCH_SESSIONS": str(sessions_file),
        SLOT_BASE_ENV: slots.next(),
    }
    cpu_before = cpu.seconds()
    subprocess.run(command, env=env, cwd=BENCH, check=True, capture_output=True)
    cpu_used = cpu.seconds() - cpu_before
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        row = next((r for r in csv.DictReader(stats_file) if r["Name"] == scenario.name), None)
    if row is None:
        if retry:  # a burst of load from elsewhere on a shared machine: once more
            log(f"{scenario.name}: no request completed in {args.duration} s; again")
            return run_locust(base, scenario, sessions_file, args, work, cpu, slots, retry=False)
        raise SystemExit(f"{scenario.name}: no request completed in {args.duration} s")
    requests_count = int(row["Request Count"])
    return {
        "users": users,
        "requests": requests_count,
        "server_cpu_ms": round(1000 * cpu_used / max(requests_count, 1), 2),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": round(float(row["Average Response Time"]), 1),
    }


def query_counts(
    env: dict[str, str], sessions_file: Path, names: list[str], slots: SlotBlocks
) -> dict[str, int]:
    env = {**env, SLOT_BASE_ENV: slots.next()}
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
        "users": rounds[0].get("users"),
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
    if args.duration < 5:
        raise SystemExit("--duration: at least 5 s (locust needs about 2 s to start its clients)")
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
            slots = SlotBlocks(WORK / f"{database_key(url)}-slots", args.duration)
            os.environ[SLOT_BASE_ENV] = slots.next()  # this process: checks and warm-up
            for scenario in scenarios:
                check_scenario(base, scenario, sessions)
                warm_up(base, scenario, sessions, args.warmup)
            runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in scenarios}
            for number in range(1, args.rounds + 1):
                for scenario in scenarios:
                    users = scenario.users or args.users
                    log(f"round {number}/{args.rounds}, {scenario.name}: {users} clients")
                    run = run_locust(base, scenario, sessions_file, args, work, cpu, slots)
                    runs[scenario.name].append(run)
            counts = query_counts(env, sessions_file, [s.name for s in scenarios], slots)
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
