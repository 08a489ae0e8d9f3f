"""The registry of scheduled jobs, the beat schedule and `run_scans`."""

from __future__ import annotations

import io

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command

from carshare.celery import app
from core.notices import Job
from notifications import registry
from notifications.models import ScanRun
from notifications.registry import get_job, register_jobs, registered_jobs
from notifications.tasks import run_scheduled_job

# Each app registers its own jobs from its AppConfig.ready(); members' are registered by the
# notifications app (members sits below it), in the order of INSTALLED_APPS.
JOBS_BY_APP = {
    "notifications": ["deliver_notifications"],
    "members": ["licence_expiry", "fee_renewals", "personal_data"],
    "vehicles": ["vehicle_documents", "probation_ends"],
    "contracts": ["outdated_agreements"],
    "ledger": ["recurring_expenses", "period_close", "statements"],
    "bookings": [
        "booking_reminders",
        "approvals",
        "returns",
        "ineligible_bookings",
        "bookings_without_agreement",
        "announcements",
        "owner_summaries",
    ],
}
SCAN_NAMES = [name for names in JOBS_BY_APP.values() for name in names]


def test_every_job_has_exactly_one_beat_entry_and_every_entry_a_job():
    entries = app.conf.beat_schedule
    assert sorted(entries) == sorted(SCAN_NAMES)
    for name, entry in entries.items():
        assert entry["task"] == "notifications.run_job"
        assert entry["args"] == (name,)
        assert isinstance(entry["schedule"], crontab)
        assert entry["options"]["expires"] > 0


def test_the_daily_jobs_avoid_the_hours_a_dst_night_repeats_or_skips():
    for entry in app.conf.beat_schedule.values():
        hours = entry["schedule"].hour
        if len(hours) < 24:
            assert not hours & {2}, entry


def test_each_app_registers_its_jobs_at_start_up():
    assert [job.name for job in registered_jobs()][: len(SCAN_NAMES)] == SCAN_NAMES
    for owner, names in JOBS_BY_APP.items():
        for name in names:
            assert get_job(name).run.__module__ == f"{owner}.scans", name


@pytest.mark.django_db
def test_run_scans_runs_every_job_and_records_each_run():
    out = io.StringIO()
    call_command("run_scans", stdout=out)
    assert sorted(ScanRun.objects.values_list("name", flat=True)) == sorted(SCAN_NAMES)
    assert set(ScanRun.objects.values_list("outcome", flat=True)) == {"succeeded"}
    assert "licence_expiry: succeeded, 0 checked, 0 created, 0 sent" in out.getvalue()


@pytest.mark.django_db
def test_run_scans_runs_the_named_jobs_only():
    call_command("run_scans", "licence_expiry", "fee_renewals", stdout=io.StringIO())
    assert sorted(ScanRun.objects.values_list("name", flat=True)) == [
        "fee_renewals",
        "licence_expiry",
    ]


@pytest.mark.django_db
def test_run_scans_refuses_an_unknown_name_and_runs_nothing():
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_scans", "licence_expiry", "no_such_scan", stdout=io.StringIO())
    assert not ScanRun.objects.exists()


@pytest.fixture
def broken_job():
    def fail(**_kwargs):
        raise RuntimeError("boom")

    register_jobs(Job("broken_for_test", "Broken", "never", fail))
    yield
    registry._jobs.pop("broken_for_test")


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others_and_the_command_fails(broken_job):
    with pytest.raises(CommandError, match="failed: broken_for_test"):
        call_command("run_scans", "broken_for_test", "licence_expiry", stdout=io.StringIO())
    outcomes = dict(ScanRun.objects.values_list("name", "outcome"))
    assert outcomes == {"broken_for_test": "failed", "licence_expiry": "succeeded"}


@pytest.mark.django_db
def test_the_celery_task_runs_a_job_by_name():
    run_scheduled_job.delay("fee_renewals")
    assert ScanRun.objects.get().name == "fee_renewals"


def test_the_celery_task_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="unknown scheduled job"):
        run_scheduled_job.apply(args=("nope",)).get()


def test_a_job_can_be_looked_up_by_name():
    assert get_job("licence_expiry").run.__name__ == "scan_licence_expiry"
    assert get_job("nope") is None
