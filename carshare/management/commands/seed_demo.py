"""python manage.py seed_demo: idempotent demo data for development (DEBUG only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carshare.demo import DEMO_PASSWORD, seed_all


class Command(BaseCommand):
    help = "Create the demo associations, people, cars, agreements and trips (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates known passwords."
            )
        with transaction.atomic():
            seed_all(lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Password: {DEMO_PASSWORD}"))
