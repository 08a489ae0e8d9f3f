"""Recording maintenance: the event and its ledger expense are one write, on one page
(/<slug>/vehicles/<pk>/maintenance/new/). Only the car's managers write it; whatever is
refused saves neither the event nor an expense."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ledger.models import LedgerTransaction
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from vehicles.models import MaintenanceEvent

pytestmark = pytest.mark.django_db

FORM = {"date": "2026-02-01", "kind": "repair", "cost": "120.50", "description": "Brakes"}


def _page(vehicle):
    kwargs = {"slug": vehicle.association.slug, "pk": vehicle.pk}
    return reverse("ledger:maintenance_add", kwargs=kwargs)


def _client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def _nothing_saved():
    return not MaintenanceEvent.objects.exists() and not LedgerTransaction.objects.exists()


def test_the_owner_records_maintenance_and_its_expense_together(association, member):
    car = tariffed_vehicle(association, owners=[(member, 100)])
    response = _client(member).post(_page(car), FORM)
    assert response.status_code == 302
    event = MaintenanceEvent.objects.get()
    assert LedgerTransaction.objects.get().reference == f"maintenance:{event.pk}"


def test_a_member_who_does_not_manage_the_car_is_refused(association, admin, member):
    car = tariffed_vehicle(association, owners=[(admin, 100)])
    assert _client(member).post(_page(car), FORM).status_code == 403
    assert _nothing_saved()


def test_another_associations_admin_finds_nothing(association, admin, other_association):
    car = tariffed_vehicle(association, owners=[(admin, 100)])
    stranger = MembershipFactory(association=other_association, role="admin")
    assert _client(stranger).post(_page(car), FORM).status_code == 404
    assert _nothing_saved()


def test_a_payer_from_another_association_is_refused(association, member, outsider):
    car = tariffed_vehicle(association, owners=[(member, 100)])
    response = _client(member).post(_page(car), {**FORM, "paid_by": outsider.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _nothing_saved()


def test_a_cost_the_ledger_cannot_post_is_a_form_error_and_saves_nothing(association, admin):
    car = tariffed_vehicle(association, owners=[])  # nobody bears the cost
    response = _client(admin).post(_page(car), FORM, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _nothing_saved()


def test_a_stranger_is_sent_to_log_in(association, member):
    car = tariffed_vehicle(association, owners=[(member, 100)])
    response = Client().post(_page(car), FORM)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert _nothing_saved()


# The manual post of a maintenance event recorded before the explicit effect (legacy rows)


def _legacy(car):
    """A row saved before maintenance was posted with its record, its cost never posted."""
    return MaintenanceEvent.objects.create(
        vehicle=car, date="2026-02-01", kind="repair", cost="120.50", description="Brakes"
    )


def _post_url(event):
    kwargs = {"slug": event.vehicle.association.slug, "pk": event.pk}
    return reverse("ledger:maintenance_post", kwargs=kwargs)


def test_only_the_associations_admins_post_a_legacy_event(
    association, admin, member, other_association
):
    event = _legacy(tariffed_vehicle(association, owners=[(member, 100)]))
    assert _client(member).post(_post_url(event)).status_code == 403  # even the car's owner
    stranger = MembershipFactory(association=other_association, role="admin")
    assert _client(stranger).post(_post_url(event)).status_code == 404
    assert not LedgerTransaction.objects.exists()
    assert _client(admin).post(_post_url(event)).status_code == 302
    assert LedgerTransaction.objects.get().reference == f"maintenance:{event.pk}"


def test_a_cancelled_maintenance_entry_cannot_be_posted_again_by_replaying_the_button(
    association, admin
):
    car = tariffed_vehicle(association, owners=[(admin, 100)])
    client = _client(admin)
    client.post(_page(car), FORM)
    entry = LedgerTransaction.objects.get()
    cancel = reverse("ledger:reverse", kwargs={"slug": association.slug, "pk": entry.pk})
    assert client.post(cancel, {"reason": "typo"}).status_code == 302
    event = MaintenanceEvent.objects.get()
    assert LedgerTransaction.objects.get(pk=entry.pk).is_reversed
    for _ in range(2):
        assert client.post(_post_url(event)).status_code == 302
    active = LedgerTransaction.objects.filter(
        reference=f"maintenance:{event.pk}", is_reversed=False
    )
    assert not active.exists()
