"""The person's notifications, their preferences, and the admins' background jobs page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationPreference, ScanRun
from notifications.registry import registered_jobs
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def notify(membership, **fields) -> Notification:
    values = {
        "kind": "fee_renewal",
        "key": f"fee_renewal:view:{Notification.objects.count()}",
        "subject": "Votre cotisation",
        "body": "Bonjour,\n\nÀ renouveler.",
        "url": f"/{membership.association.slug}/",
        **fields,
    }
    return Notification.objects.create(
        recipient=membership.user, association=membership.association, **values
    )


def test_the_list_shows_the_persons_notifications_newest_first(member_client, member, admin):
    older = notify(member, subject="Ancienne")
    newer = notify(member, subject="Récente")
    notify(admin, subject="Pour quelqu'un d'autre")
    notify(member, subject="E-mail seulement", in_app=False)
    response = member_client.get(reverse("notifications:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(newer.subject) < page.index(older.subject)
    assert "quelqu&#x27;un d&#x27;autre" not in page
    assert "E-mail seulement" not in page


def test_the_header_shows_the_unread_count(member_client, member):
    notify(member)
    notify(member)
    notify(member, read_at="2026-01-01T00:00Z")
    page = member_client.get(reverse("account:profile")).content.decode()
    assert 'class="badge badge--info">2<span class="visually-hidden"> non lues' in page


def test_marking_one_as_read(member_client, member):
    notification = notify(member)
    response = member_client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_marks_as_read_and_goes_to_the_page(member_client, member):
    notification = notify(member)
    url = reverse("notifications:read", args=[notification.pk])
    response = member_client.post(url, {"open": "1"})
    assert response["Location"] == "/testville/"


def test_an_external_link_is_never_followed(member_client, member):
    notification = notify(member, url="https://evil.example/")
    url = reverse("notifications:read", args=[notification.pk])
    response = member_client.post(url, {"open": "1"})
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_404(admin_client_, outsider_client, member):
    notification = notify(member)
    url = reverse("notifications:read", args=[notification.pk])
    assert admin_client_.post(url).status_code == 404
    assert outsider_client.post(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_as_read(member_client, member, admin):
    notify(member)
    notify(member)
    theirs = notify(admin)
    member_client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=member.user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_offer_only_the_optional_kinds(member_client):
    page = member_client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="booking_starts_soon"' in page
    assert 'name="return_overdue"' not in page
    assert "Toujours envoyés" in page


def test_saving_preferences(member_client, member):
    url = reverse("notifications:preferences")
    data = {
        "booking_starts_soon": "app",
        "return_due": "off",
        "probation_ended": "email",
        "statement_ready": "email",
        "fee_renewal": "app",
        "announcement": "app",
        "owner_monthly_summary": "email",
        "booking_changed": "email",
    }
    assert member_client.post(url, data).status_code == 302
    stored = {
        p.kind: (p.by_email, p.in_app)
        for p in NotificationPreference.objects.filter(user=member.user)
    }
    assert stored["booking_starts_soon"] == (False, True)
    assert stored["return_due"] == (False, False)
    assert stored["probation_ended"] == (True, True)
    assert stored["announcement"] == (False, True)
    page = member_client.get(url).content.decode()
    assert re.search(r'name="return_due" value="off"[^>]*checked', page)
    assert not re.search(r'name="return_due" value="email"[^>]*checked', page)


def test_a_bad_preference_is_refused_and_changes_nothing(member_client, member):
    url = reverse("notifications:preferences")
    response = member_client.post(url, {"booking_starts_soon": "carrier-pigeon"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_the_jobs_page_lists_every_job_with_its_last_run(admin_client_, association):
    ScanRun.objects.create(
        name="licence_expiry",
        started_at="2026-03-29T05:00Z",
        outcome=ScanRun.Outcome.FAILED,
        error="OperationalError: database is locked",
    )
    page = admin_client_.get(reverse("jobs:background_jobs", args=["testville"]))
    text = page.content.decode()
    assert page.status_code == 200
    for job in registered_jobs():
        assert str(job.label) in text or job.name in text
    assert "database is locked" in text
    assert "jamais" in text  # the jobs that never ran


def test_the_jobs_page_shows_this_associations_failures_only(admin_client_, member, outsider):
    mine = notify(member, status="failed", last_error="SMTPRecipientsRefused: 550 unknown user")
    notify(outsider, status="failed", last_error="SMTPRecipientsRefused: 550 ailleurs")
    text = admin_client_.get(reverse("jobs:background_jobs", args=["testville"])).content
    assert b"550 unknown user" in text
    assert b"ailleurs" not in text
    assert reverse("jobs:notification_retry", args=["testville", mine.pk]).encode() in text


def test_retrying_a_failure_sends_it_again(
    admin_client_, member, django_capture_on_commit_callbacks, mailoutbox
):
    failed = notify(member, status="failed", attempts=5, last_error="550")
    url = reverse("jobs:notification_retry", args=["testville", failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert len(mailoutbox) == 1


def test_retrying_what_did_not_fail_says_so(admin_client_, member):
    sent = notify(member, status="sent")
    url = reverse("jobs:notification_retry", args=["testville", sent.pk])
    response = admin_client_.post(url, follow=True)
    assert "Seule une notification en échec" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_another_associations_notification_cannot_be_retried(admin_client_, outsider):
    theirs = notify(outsider, status="failed")
    url = reverse("jobs:notification_retry", args=["testville", theirs.pk])
    assert admin_client_.post(url).status_code == 404


def test_members_may_not_see_the_jobs_page(member_client):
    assert member_client.get(reverse("jobs:background_jobs", args=["testville"])).status_code == 403


def test_the_admin_menu_links_to_the_jobs_page(admin_client_, association):
    MembershipFactory(association=association)
    page = admin_client_.get(reverse("members:home", args=["testville"])).content.decode()
    assert reverse("jobs:background_jobs", args=["testville"]) in page
