"""Shared by the apps' demo modules (`<app>/demo.py`), which `seed_demo` runs in order."""

DEMO_PASSWORD = "demo-carshare"  # noqa: S105 - the documented demo password, DEBUG only
