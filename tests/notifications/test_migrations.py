"""Moving the outbox from members to this app keeps every row.

The database is taken back to members' migration before the move (the outbox in members'
tables), rows are written with the models of that state, then every migration runs forward
again: the same rows are found in the notifications app's tables, and their content types
moved with them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.models import Notification, NotificationPreference, ScanRun

MOVE = ("members", "0005_notifications_moved_out")


def _before_the_move() -> list[tuple[str, str | None]]:
    """members' migration just before the move, and no migration of notifications."""
    [parent] = [
        key
        for key in MigrationExecutor(connection).loader.graph.node_map[MOVE].parents
        if key[0] == "members"
    ]
    return [parent.key, ("notifications", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    old_state = [targets[0], ("contenttypes", "0002_remove_content_type_name")]
    return executor.loader.project_state(old_state).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_old_rows(apps) -> dict[str, int]:
    user = apps.get_model("members", "User").objects.create(
        email="lea@example.org", first_name="Léa", last_name="Martin", language="fr"
    )
    association = apps.get_model("members", "Association").objects.create(
        name="Autopartage de Villerouge", slug="villerouge", commune="Villerouge"
    )
    notification = apps.get_model("members", "Notification").objects.create(
        recipient=user,
        association=association,
        kind="fee_renewal",
        key="fee_renewal:membership:1:2026-12-31:30d",
        subject="Votre cotisation",
        body="Bonjour,\n-- \nVillerouge\n",
        status="failed",
        attempts=5,
        last_error="SMTPRecipientsRefused: 550",
        read_at=timezone.now(),
    )
    preference = apps.get_model("members", "NotificationPreference").objects.create(
        user=user, kind="statement_ready", by_email=False, in_app=True
    )
    run = apps.get_model("members", "ScanRun").objects.create(
        name="fee_renewals",
        started_at=timezone.now() - dt.timedelta(minutes=1),
        finished_at=timezone.now(),
        outcome="succeeded",
        checked=12,
        created=1,
        by_association={str(association.pk): 1},
    )
    return {
        "user": user.pk,
        "association": association.pk,
        "notification": notification.pk,
        "preference": preference.pk,
        "run": run.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_move_to_the_notifications_app_keeps_every_row():
    old_apps = _migrate(_before_the_move())
    content_types = old_apps.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="members", model="notification")
    ids = _write_old_rows(old_apps)

    _migrate(_latest())

    notification = Notification.objects.get(pk=ids["notification"])
    assert (notification.recipient_id, notification.association_id) == (
        ids["user"],
        ids["association"],
    )
    assert notification.email == ""
    assert (notification.kind, notification.key) == (
        "fee_renewal",
        "fee_renewal:membership:1:2026-12-31:30d",
    )
    assert (notification.status, notification.attempts) == ("failed", 5)
    assert notification.last_error == "SMTPRecipientsRefused: 550"
    assert notification.text_in_app == "Bonjour,"
    assert not notification.is_unread
    preference = NotificationPreference.objects.get(pk=ids["preference"])
    assert (preference.user_id, preference.kind, preference.by_email) == (
        ids["user"],
        "statement_ready",
        False,
    )
    run = ScanRun.objects.get(pk=ids["run"])
    assert (run.name, run.checked, run.by_association) == (
        "fee_renewals",
        12,
        {str(ids["association"]): 1},
    )
    tables = connection.introspection.table_names()
    assert "notifications_notification" in tables
    assert "members_notification" not in tables
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Notification).pk == (
        ContentType.objects.get(app_label="notifications", model="notification").pk
    )
    assert not ContentType.objects.filter(app_label="members", model="notification").exists()


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_the_move_get_fresh_ids():
    old_apps = _migrate(_before_the_move())
    ids = _write_old_rows(old_apps)
    _migrate(_latest())
    fresh = Notification.objects.create(
        recipient_id=ids["user"], kind="fee_renewal", key="fee_renewal:new", subject="s", body="b"
    )
    assert fresh.pk > ids["notification"]
