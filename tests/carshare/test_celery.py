"""The broker round trip through a real worker process: the on-disk transport on the
embedded default, Redis when REDIS_URL is set (the PostgreSQL + Redis CI run)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from carshare.celery import app
from carshare.tasks import ping


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "carshare",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-n",
            name,
        ],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_ping_goes_through_the_broker_to_a_worker_and_back(worker):
    result = ping.apply_async()
    assert result.get(timeout=60) == "pong"
    assert worker.poll() is None  # the worker, not an eager call, answered
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert app.conf.broker_url.startswith(expected)
