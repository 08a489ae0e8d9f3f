"""A member reads a reminder from the header badge and chooses what they receive; an admin
sends a failed notification again from the background jobs page. At phone width."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.models import DriverProfile
from notifications.models import Notification
from tests.browser.a11y import assert_accessible
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def villerouge(db):
    association = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    admin = MembershipFactory(
        association=association,
        role="admin",
        user=UserFactory(email="admin@villerouge.example", first_name="Alice", last_name="Martin"),
    )
    lea = MembershipFactory(
        association=association,
        user=UserFactory(email="lea@villerouge.example", first_name="Léa", last_name="Garnier"),
    )
    DriverProfileFactory(user=admin.user)
    DriverProfileFactory(user=lea.user)
    return association, admin, lea


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base + "/")


def test_a_member_reads_a_reminder_and_chooses_what_she_receives(
    live_server, page, screenshot, villerouge
):
    association, _admin, lea = villerouge
    soon = timezone.localdate(timezone=association.tz) + dt.timedelta(days=7)
    DriverProfile.objects.filter(user=lea.user).update(licence_expires_on=soon)
    call_command("run_scans", "licence_expiry", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[lea.user.email]]

    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, lea.user.email)
    badge = page.locator(".notifications-link .badge")
    assert badge.inner_text().startswith("1")
    page.locator(".notifications-link").click()
    page.wait_for_url("**/me/notifications/")
    page.get_by_text("Lire le message").click()
    assert "valable jusqu’au" in page.locator(".notification__body").inner_text()
    screenshot("notifications-list-360")
    assert_accessible(page, "notifications-list-360")
    page.get_by_role("button", name="Marquer comme lu", exact=True).click()
    assert page.locator(".notifications-link .badge").count() == 0

    page.get_by_role("link", name="Choisir ce que je reçois").click()
    page.get_by_role("group", name="Réservation qui commence bientôt").get_by_label(
        "dans l’application seulement"
    ).check()
    screenshot("notification-preferences-360")
    assert_accessible(page, "notification-preferences-360")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Vos choix ont été enregistrés.").is_visible()


def test_an_admin_sends_a_failed_notification_again(live_server, page, screenshot, villerouge):
    association, admin, lea = villerouge
    call_command("run_scans", stdout=open("/dev/null", "w"))  # noqa: SIM115
    failed = Notification.objects.create(
        recipient=lea.user,
        association=association,
        kind="return_overdue",
        key="return_overdue:browser",
        subject="Clio : retour en retard",
        body="Bonjour",
        status=Notification.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 5.1.1 boîte inconnue",
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, admin.user.email)
    page.goto(live_server.url + "/villerouge/background-jobs/")
    assert page.get_by_role("heading", name="Rappels et vérifications de nuit").is_visible()
    screenshot("background-jobs-360")
    assert_accessible(page, "background-jobs-360")
    page.get_by_role("button", name="Renvoyer").click()
    assert page.get_by_text("La notification va être renvoyée.").is_visible()
    failed.refresh_from_db()
    assert failed.status in (Notification.Status.PENDING, Notification.Status.SENT)
