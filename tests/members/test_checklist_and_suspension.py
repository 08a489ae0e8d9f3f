"""The start checklist of a new association, the settings that tick it, and the suspension
of an association by the platform's operators."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.services import copy_default_template
from core.errors import DomainError
from members.checklist import start_checklist
from members.models import AuditEntry, Invitation
from members.services.associations import update_association
from members.services.founding import (
    FoundingData,
    found_association,
    lift_suspension,
    suspend_association,
)
from tests.factories.members import UserFactory
from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def founded():
    founder = UserFactory()
    association = found_association(
        founder=founder,
        data=FoundingData(
            name="Autopartage de Testville", commune="Testville", postcode="63190", address="Mairie"
        ),
    )
    return association, association.memberships.get()


def _states(association):
    return {item.name: item.done for item in start_checklist(association) or []}


def test_a_new_association_starts_with_four_steps_to_do(founded):
    association, _admin = founded
    items = start_checklist(association)
    assert [item.name for item in items] == [
        "rules",
        "first_car",
        "agreement_template",
        "invitations",
    ]
    assert not any(item.done for item in items)
    urls = {item.name: item.url for item in items}
    assert urls == {
        "rules": "/autopartage-de-testville/settings/#rules",
        "first_car": "/autopartage-de-testville/vehicles/new/",
        "agreement_template": "/autopartage-de-testville/documents/templates/",
        "invitations": "/autopartage-de-testville/members/invite/",
    }


def test_each_step_is_ticked_from_the_data_and_the_list_goes_when_done(founded):
    association, admin = founded
    update_association(actor=admin, changes={}, confirm_rules=True)  # saved as it was
    association.refresh_from_db()
    assert _states(association)["rules"]

    car = VehicleFactory(association=association)
    item = {i.name: i for i in start_checklist(association)}["first_car"]
    assert not item.done and item.url.endswith(f"/vehicles/{car.pk}/insurance/new/")
    InsurancePolicyFactory(vehicle=car)
    item = {i.name: i for i in start_checklist(association)}["first_car"]
    assert not item.done and item.url.endswith(f"/vehicles/{car.pk}/tariffs/new/")
    TariffFactory(vehicle=car)
    assert _states(association)["first_car"]

    copy_default_template(actor=admin, association=association, kind="agreement")
    assert _states(association)["agreement_template"]

    Invitation.objects.create(
        association=association,
        email="voisin@example.org",
        expires_at=association.created_at.replace(year=2100),
    )
    assert start_checklist(association) is None


def test_the_checklist_costs_a_fixed_number_of_queries(founded):
    association, _admin = founded
    for _ in range(3):
        TariffFactory(vehicle=InsurancePolicyFactory(vehicle__association=association).vehicle)
    with CaptureQueriesContext(connection) as queries:
        start_checklist(association)
    # rules: none; car: 2 (done, link); agreement: 2 (a copy? a printed one?); invitations: 2
    assert len(queries) == 6


def test_the_home_page_shows_the_checklist_to_admins_only(founded, django_user_model):
    association, admin = founded
    client = Client()
    client.force_login(admin.user)
    html = client.get(
        reverse("members:home", kwargs={"slug": association.slug}), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Premiers pas" in html and "Une première voiture" in html
    assert 'href="/autopartage-de-testville/settings/#rules"' in html
    member = UserFactory()
    association.memberships.create(user=member, status="active")
    client.force_login(member)
    html = client.get(
        reverse("members:home", kwargs={"slug": association.slug}), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Premiers pas" not in html


# --- Settings ------------------------------------------------------------------------------


def test_saving_the_settings_page_confirms_the_rules(admin_client_, admin):
    url = reverse("members:settings", kwargs={"slug": admin.association.slug})
    form = admin_client_.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    admin.association.refresh_from_db()
    assert admin.association.rules_confirmed_at is not None


def test_listed_in_the_directory_needs_a_public_page(admin):
    with pytest.raises(DomainError) as refused:
        update_association(actor=admin, changes={"listed_in_directory": True})
    assert refused.value.code == "listed_needs_public_page"
    update_association(actor=admin, changes={"listed_in_directory": True, "public_page": True})
    admin.association.refresh_from_db()
    assert admin.association.listed_in_directory


def test_new_cars_take_the_associations_notice(admin):
    from vehicles.services import create_vehicle

    update_association(actor=admin, changes={"default_notice_hours": 12})
    admin.association.refresh_from_db()
    admin.refresh_from_db()
    car = create_vehicle(
        actor=admin,
        fields={
            "name": "Clio",
            "make": "Renault",
            "model": "Clio",
            "plate": "AB-123-CD",
            "energy": "petrol",
        },
    )
    assert car.min_notice_hours == 12


# --- Suspension ----------------------------------------------------------------------------


@pytest.fixture
def operator():
    return UserFactory(is_staff=True)


def test_only_operators_suspend_and_a_reason_is_required(admin, operator):
    with pytest.raises(DomainError) as refused:
        suspend_association(operator=admin.user, association=admin.association, reason="Spam")
    assert refused.value.code == "not_operator"
    with pytest.raises(DomainError) as refused:
        suspend_association(operator=operator, association=admin.association, reason=" ")
    assert refused.value.code == "reason_required"
    suspended = suspend_association(operator=operator, association=admin.association, reason="Spam")
    assert suspended.is_suspended and suspended.suspension_reason == "Spam"
    assert AuditEntry.objects.filter(action="association.suspended", actor=operator).exists()
    lifted = lift_suspension(operator=operator, association=admin.association)
    assert not lifted.is_suspended and lifted.suspension_reason == ""


def test_a_suspended_association_shows_its_members_a_french_page(
    admin, member_client, member, operator, outsider_client
):
    suspend_association(
        operator=operator, association=member.association, reason="Annonces frauduleuses"
    )
    slug = member.association.slug
    for name in ("members:home", "vehicles:list", "bookings:planning", "ledger:my_account"):
        response = member_client.get(
            reverse(name, kwargs={"slug": slug}), HTTP_ACCEPT_LANGUAGE="fr"
        )
        assert response.status_code == 403, name
        html = response.content.decode()
        assert "est suspendue par les responsables de la plateforme" in html
        assert "Annonces frauduleuses" in html
    # A stranger still learns nothing: 404.
    assert outsider_client.get(reverse("members:home", kwargs={"slug": slug})).status_code == 404


def test_a_suspended_associations_api_answers_403_with_a_code(member_client, member, operator):
    suspend_association(operator=operator, association=member.association, reason="Spam")
    slug = member.association.slug
    for url in (f"/api/v1/associations/{slug}/members/", f"/api/v1/associations/{slug}/vehicles/"):
        response = member_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 403, url
        assert response.json()["code"] == "association_suspended"
    # "My associations" lists working associations only.
    assert member_client.get("/api/v1/associations/").json() == []


def test_a_suspended_association_cannot_be_joined(outsider_client, member, operator):
    suspend_association(operator=operator, association=member.association, reason="Spam")
    response = outsider_client.get(
        reverse("account:join", kwargs={"slug": member.association.slug})
    )
    assert response.status_code == 404


def test_operators_suspend_from_the_django_admin(admin, operator):
    operator.is_superuser = True
    operator.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(operator)
    url = reverse("admin:members_association_change", args=[admin.association.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.update({"suspended": "on", "suspension_reason": ""})
    for inline in page.context["inline_admin_formsets"]:  # read-only: nothing to post
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    data["suspension_reason"] = "Usurpation d'identité"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin.association.refresh_from_db()
    assert admin.association.is_suspended
    assert AuditEntry.objects.filter(action="association.suspended").count() == 1
    assert site.is_registered(type(admin.association))


def test_a_suspended_associations_jobs_send_nothing(member, operator):
    """The fee-renewal job, run on a suspended association and then on the same association
    once the suspension is lifted (the control): nothing, then the reminder."""
    import datetime as dt
    from decimal import Decimal

    from members.scans import scan_fee_renewals
    from notifications.models import Notification

    association = member.association
    association.membership_fee = Decimal("10.00")
    association.save(update_fields=["membership_fee"])
    member.fee_paid_until = dt.date(2026, 6, 1)
    member.save(update_fields=["fee_paid_until"])
    now = dt.datetime(2026, 5, 20, 8, 0, tzinfo=dt.UTC)
    suspend_association(operator=operator, association=association, reason="Spam")
    with time_machine.travel(now, tick=False):
        assert scan_fee_renewals(now=now).created == 0
        lift_suspension(operator=operator, association=association)
        assert scan_fee_renewals(now=now).created == 1
    assert Notification.objects.filter(recipient=member.user, kind="fee_renewal").count() == 1
