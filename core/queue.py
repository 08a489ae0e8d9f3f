"""Queueing background work safely.

Work is queued only after the surrounding transaction commits, and a broker that is down
never fails the web request that queued it: the state the task needs is already in the
database (an outbox row, a pending flag), and the periodic scans pick up whatever was not
queued. See docs/ARCHITECTURE.md, "Background work".
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task.delay(*args, **kwargs)` after commit; log and carry on if the broker fails."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:
            logger.warning("could not queue %s; the next scan will catch up", task.name)

    transaction.on_commit(send)
