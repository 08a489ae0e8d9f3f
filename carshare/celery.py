"""The Celery application and the one beat schedule.

Embedded default: an on-disk broker under var/celery (no server), and `make run` starts a
worker with beat beside the web server. Production: REDIS_URL, any number of workers and
exactly one beat process (docs/DEPLOY.md).

Every entry of the schedule is commented with when it runs and why. Scans are idempotent
(they compute from database state and claim work in the notifications outbox), so a
missed or doubled run loses and repeats nothing.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")

app = Celery("carshare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


app.conf.beat_schedule = {}
