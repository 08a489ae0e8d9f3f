"""Markdown tables from bench results, for docs/PERFORMANCE.md.

    .venv/bin/python bench/report.py bench/results/*.json

One table per run, then, for runs of the same database at different scales, how p95 and
throughput change from the smallest data set to each larger one (issue 9's scale goal).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def _rows_label(record: Record) -> str:
    rows = record.get("rows", {})
    parts = [f"{label.split('.')[-1].lower()}s {count:,}" for label, count in rows.items()]
    interesting = [p for p in parts if p.split()[0] in {"bookings", "vehicles", "memberships"}]
    return ", ".join(interesting or parts)


def heading(record: Record) -> str:
    scale = record["scale"]
    return (
        f"**{record['database']}, {record['label']}** ({scale['associations']} associations × "
        f"{scale['vehicles']} vehicles × {scale['months']} months: {_rows_label(record)}); "
        f"{record['users']} clients, {record.get('rounds', 1)} × {record['duration_s']} s "
        "per scenario, "
        f"{record['gunicorn_workers']} gunicorn workers, {record['machine']['cpus']} CPUs, "
        f"load {record['machine']['load_average_before']} before; {record['when']}, "
        f"commit {record['commit']}"
    )


def table(record: Record) -> str:
    lines = [
        "| scenario | clients | requests | failures | req/s | × /healthz | p50 ms | p95 ms "
        "| p95 × /healthz | server CPU ms/req | queries |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in record["scenarios"]:
        lines.append(
            f"| {s['name']} | {s.get('users') or record['users']} | {s['requests']:,} | "
            f"{s['failures']} | {s['rps']:,.1f} | "
            f"{s['rps_vs_healthz']:.3f} | {s['p50_ms']:g} | {s['p95_ms']:g} | "
            f"{s['p95_vs_healthz']:.2f} | {_cpu(s)} | {s.get('queries', '')} |"
        )
    return "\n".join(lines)


def _cpu(scenario: dict[str, Any]) -> str:
    """Server CPU per request; a negative one (a process gone between the two readings,
    before children's CPU time was counted) is no measurement."""
    value = scenario.get("server_cpu_ms")
    if value is None or value < 0:
        return "n/a"
    return f"{value:.1f}"


def scale_comparison(records: list[Record]) -> str:
    """Per database: p95 and req/s of each scenario at each scale, relative to the smallest."""
    by_database: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_database[record["database"]].append(record)
    blocks = []
    for database, runs in by_database.items():
        if len({r["label"] for r in runs}) < 2:
            continue
        runs.sort(key=lambda r: r["scale"]["associations"])
        base = {s["name"]: s for s in runs[0]["scenarios"]}
        lines = [
            f"{database}: relative to {runs[0]['label']}",
            "",
            "| scenario | data set | p95 ms | p95 × smallest | req/s × smallest "
            "| CPU/req × smallest | queries |",
            "|---|---|--:|--:|--:|--:|--:|",
        ]
        for run in runs[1:]:
            for s in run["scenarios"]:
                ref = base.get(s["name"])
                if ref:
                    lines.append(
                        f"| {s['name']} | {run['label']} | {s['p95_ms']:g} | "
                        f"{s['p95_ms'] / ref['p95_ms']:.2f} | {s['rps'] / ref['rps']:.2f} | "
                        f"{_ratio(s, ref, 'server_cpu_ms')} | "
                        f"{ref.get('queries')} → {s.get('queries')} |"
                    )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _ratio(run: dict[str, Any], reference: dict[str, Any], key: str) -> str:
    if not run.get(key) or not reference.get(key) or run[key] < 0 or reference[key] < 0:
        return ""
    return f"{run[key] / reference[key]:.2f}"


def markdown(records: list[Record]) -> str:
    parts = [f"{heading(r)}\n\n{table(r)}" for r in records]
    comparison = scale_comparison(records)
    if comparison:
        parts.append(comparison)
    return "\n\n".join(parts)


def main() -> None:
    records = [json.loads(Path(name).read_text()) for name in sys.argv[1:]]
    if not records:
        raise SystemExit("usage: report.py bench/results/<run>.json ...")
    print(markdown(records))


if __name__ == "__main__":
    main()
