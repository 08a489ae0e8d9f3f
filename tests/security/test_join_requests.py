"""Asking to join, read by a hostile resident: a request withdrawn and sent again, over and
over, would reach every admin each time (join_requested is essential: e-mail, no opt-out).
The service allows JOIN_REQUESTS_PER_DAY requests per person and association a day, on the
page as anywhere else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from members.models import Membership
from members.services.memberships import leave_association, request_to_join
from notifications.models import Notification
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)
Status = Membership.Status


def _ask_and_withdraw(client: Client, slug: str, times: int) -> list[int]:
    statuses = []
    for number in range(times):
        with time_machine.travel(NOW + dt.timedelta(minutes=number), tick=False):
            response = client.post(f"/join/{slug}/", {"message": f"Bonjour {number}"})
            statuses.append(response.status_code)
            pending = Membership.objects.filter(status=Status.PENDING).first()
            if pending is not None:
                leave_association(actor=pending)  # withdrawn at once, to ask again
    return statuses


def test_asking_withdrawing_and_asking_again_does_not_flood_the_admins(admin, settings):
    settings.JOIN_REQUESTS_PER_DAY = 3
    MembershipFactory(association=admin.association, role=Membership.Role.ADMIN)
    resident = UserFactory()
    client = Client()
    client.force_login(resident)
    statuses = _ask_and_withdraw(client, admin.association.slug, 6)
    assert statuses == [302, 302, 302, 429, 429, 429]
    # Three requests, each told to the two admins once; the refused ones reached nobody.
    assert Notification.objects.filter(kind="join_requested").count() == 3 * 2
    membership = Membership.objects.get(user=resident)
    assert membership.status == Status.LEFT  # the last refusal changed nothing
    # A day later the resident may ask again.
    with time_machine.travel(NOW + dt.timedelta(days=1, minutes=1), tick=False):
        request_to_join(user=resident, association=admin.association, message="Encore")
    assert Membership.objects.get(user=resident).status == Status.PENDING


def test_the_limit_is_per_association(admin, other_association, settings):
    settings.JOIN_REQUESTS_PER_DAY = 1
    resident = UserFactory()
    client = Client()
    client.force_login(resident)
    assert _ask_and_withdraw(client, admin.association.slug, 2) == [302, 429]
    assert _ask_and_withdraw(client, other_association.slug, 1) == [302]


def test_a_refused_request_asked_again_counts_too(admin, settings):
    """Refused by the admins, asked again at once: the same daily limit."""
    from members.services.memberships import refuse_join_request

    settings.JOIN_REQUESTS_PER_DAY = 2
    resident = UserFactory()
    client = Client()
    client.force_login(resident)
    statuses = []
    for number in range(3):
        with time_machine.travel(NOW + dt.timedelta(minutes=number), tick=False):
            answer = client.post(f"/join/{admin.association.slug}/", {"message": "Encore"})
            statuses.append(answer.status_code)
            pending = Membership.objects.filter(user=resident, status=Status.PENDING).first()
            if pending is not None:
                refuse_join_request(actor=admin, membership=pending, reason="Hors commune")
    assert statuses == [302, 302, 429]
