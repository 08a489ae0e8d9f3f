"""The fleet scans at their boundary times in Europe/Paris, daylight-saving nights included:
insurance and roadworthiness tests expiring, probation ends and what they open."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
    owned_vehicle,
)
from tests.notifications.helpers import assert_flat_per_batch, keys_of, paris
from vehicles.models import InsurancePolicy, Vehicle, VehicleDocument
from vehicles.scans import scan_probation_ends, scan_vehicle_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(time_machine):
    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel


def run(scan):
    return scan(now=timezone.now())


# --- Papers ---------------------------------------------------------------------------------


@pytest.fixture
def clio(member):
    vehicle = owned_vehicle(member, name="Clio")
    # 30 days before 24 November 2026 is 25 October, the night clocks go back.
    InsurancePolicy.objects.filter(vehicle=vehicle).update(valid_until=dt.date(2026, 11, 24))
    return vehicle


def test_the_insurance_notice_reaches_the_owner_and_the_admins_on_a_dst_night(
    clio, member, admin, at
):
    at(paris(2026, 10, 24, 23, 59))
    assert run(scan_vehicle_documents).created == 0
    at(paris(2026, 10, 25, 0, 0))
    counts = run(scan_vehicle_documents)
    assert (counts.checked, counts.created) == (1, 2)
    assert counts.by_association == {clio.association_id: 2}
    key = f"document_expiring:vehicle:{clio.pk}:insurance:2026-11-24:30d"
    assert keys_of(member.user) == keys_of(admin.user) == [key]
    assert Notification.objects.get(recipient=member.user).subject.startswith("Clio")
    at(paris(2026, 10, 25, 2, 30, fold=1))
    assert run(scan_vehicle_documents).created == 0


def test_the_7_and_0_day_insurance_notices(clio, member, at):
    at(paris(2026, 11, 17, 0, 0))
    run(scan_vehicle_documents)
    at(paris(2026, 11, 24, 0, 0))
    run(scan_vehicle_documents)
    assert [key.rsplit(":", 1)[1] for key in keys_of(member.user)] == ["0d", "7d"]


def test_the_roadworthiness_test_notice_on_the_spring_dst_night(clio, member, at):
    VehicleDocument.objects.create(
        vehicle=clio, kind=VehicleDocument.Kind.ROADWORTHINESS, expires_on=dt.date(2026, 4, 5)
    )
    at(paris(2026, 3, 28, 23, 59, 59))
    run(scan_vehicle_documents)
    assert keys_of(member.user) == [
        f"document_expiring:vehicle:{clio.pk}:roadworthiness:2026-04-05:30d"
    ]
    at(paris(2026, 3, 29, 0, 0))  # 7 days before, on the night clocks go forward
    run(scan_vehicle_documents)
    assert keys_of(member.user)[-1].endswith(":7d")


def test_a_roadworthiness_test_replaced_by_a_newer_one_is_history(clio, member, at):
    for expires in (dt.date(2026, 4, 5), dt.date(2028, 4, 5)):
        VehicleDocument.objects.create(
            vehicle=clio, kind=VehicleDocument.Kind.ROADWORTHINESS, expires_on=expires
        )
    at(paris(2026, 4, 1, 8, 0))
    assert run(scan_vehicle_documents).checked == 0


def test_an_association_car_concerns_the_admins_only(association, admin, member, at):
    car = VehicleFactory(association=association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    InsurancePolicyFactory(vehicle=car, valid_until=dt.date(2026, 6, 1))
    at(paris(2026, 6, 1, 8, 0))
    assert run(scan_vehicle_documents).created == 1
    assert keys_of(admin.user) and not keys_of(member.user)


def test_an_inactive_car_or_a_past_policy_is_not_scanned(association, admin, at):
    stored = VehicleFactory(association=association, is_active=False)
    InsurancePolicyFactory(vehicle=stored, valid_until=dt.date(2026, 6, 1))
    old = VehicleFactory(association=association)
    InsurancePolicyFactory(vehicle=old, valid_until=dt.date(2026, 6, 1), is_active=False)
    at(paris(2026, 6, 1, 8, 0))
    assert run(scan_vehicle_documents).checked == 0


def test_a_co_owner_who_left_is_not_told(clio, member, association, at):
    former = MembershipFactory(association=association, status="left")
    VehicleOwnershipFactory(vehicle=clio, owner=former, share=Decimal("50"))
    at(paris(2026, 11, 24, 8, 0))
    run(scan_vehicle_documents)
    assert keys_of(member.user) and not keys_of(former.user)


# --- Probation --------------------------------------------------------------------------------


@pytest.fixture
def young(association):
    """Licence of 29 March 2023 without AAC: probation ends on 29 March 2026 (DST night)."""
    membership = MembershipFactory(association=association, user__language="fr")
    DriverProfileFactory(
        user=membership.user, birth_date=dt.date(2005, 9, 1), licence_issued_on=dt.date(2023, 3, 29)
    )
    return membership


def insured(association, name, rule, *, min_age=18, min_licence_years=3, young_deductible=None):
    vehicle = VehicleFactory(association=association, name=name)
    InsurancePolicyFactory(
        vehicle=vehicle,
        young_driver_rule=rule,
        min_driver_age=min_age,
        min_licence_years=min_licence_years,
        young_driver_deductible=young_deductible,
    )
    return vehicle


def test_the_driver_is_told_at_paris_midnight_what_the_end_of_probation_opens(
    young, association, at
):
    rules = InsurancePolicy.YoungDriverRule
    insured(association, "Clio", rules.FORBIDDEN)
    insured(association, "Kangoo", rules.HIGHER_DEDUCTIBLE, young_deductible=Decimal("1200"))
    insured(association, "Zoé", rules.FORBIDDEN, min_age=21)
    insured(association, "Twingo", rules.ALLOWED)
    # Licence years are enough here: only the probation held the driver back.
    insured(association, "Polo", rules.FORBIDDEN, min_licence_years=2)
    at(paris(2026, 3, 28, 23, 59, 59))
    assert run(scan_probation_ends).created == 0
    at(paris(2026, 3, 29, 0, 0))
    assert run(scan_probation_ends).created == 1
    notification = Notification.objects.get()
    assert notification.subject == "Votre période de permis probatoire est terminée"
    opened, restricted = notification.body.split("Encore soumises")
    assert re.search(r"- Clio \(AB-[^)]*\)\u00a0: vous pouvez désormais la réserver", opened)
    assert re.search(r"- Polo \(AB-[^)]*\)\u00a0: vous pouvez désormais la réserver", opened)
    assert re.search(r"- Kangoo \(AB-[^)]*\)\u00a0: la franchise habituelle s’applique", opened)
    assert re.search(r"- Zoé \(AB-[^)]*\)\u00a0: pas avant le 1er septembre 2026", restricted)
    assert "Zoé" not in opened
    assert "Twingo" not in notification.body
    assert run(scan_probation_ends).created == 0


@pytest.mark.parametrize(
    ("issued", "aac", "training"),
    [
        (dt.date(2024, 3, 29), True, False),  # 2 years after accompanied driving
        (dt.date(2024, 3, 29), False, True),  # 2 years after the post-licence training
        (dt.date(2024, 9, 29), True, True),  # 18 months with both
    ],
)
def test_every_probation_length_is_found(association, at, issued, aac, training):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(
        user=membership.user,
        licence_issued_on=issued,
        accompanied_driving=aac,
        post_licence_training=training,
    )
    at(paris(2026, 3, 29, 7, 0))
    assert run(scan_probation_ends).created == 1
    (key,) = keys_of(membership.user)
    assert key.startswith("probation_ended:driverprofile:")
    assert ":2026-03-29:" in key


def test_nothing_new_is_said_plainly(young, association, at):
    insured(association, "Twingo", InsurancePolicy.YoungDriverRule.ALLOWED)
    at(paris(2026, 3, 29, 7, 0))
    run(scan_probation_ends)
    assert "cela ne change rien" in Notification.objects.get().body


def test_a_probation_that_ended_a_week_ago_is_caught_up_not_an_older_one(young, at):
    at(paris(2026, 4, 5, 7, 0))
    assert run(scan_probation_ends).created == 1
    Notification.objects.all().delete()
    at(paris(2026, 4, 6, 7, 0))
    assert run(scan_probation_ends).created == 0


def test_each_association_of_the_driver_gets_its_own_list(young, other_association, at):
    MembershipFactory(association=other_association, user=young.user)
    at(paris(2026, 3, 29, 7, 0))
    assert run(scan_probation_ends).created == 2


# --- Scale -------------------------------------------------------------------------------------


def test_the_paper_scan_costs_queries_per_batch_not_per_row(association, admin, monkeypatch, at):
    at(paris(2026, 11, 24, 7, 0))

    def paper_expiring(index):
        owner = MembershipFactory(association=association)
        vehicle = owned_vehicle(owner)
        InsurancePolicy.objects.filter(vehicle=vehicle).update(valid_until=dt.date(2026, 11, 24))
        VehicleDocument.objects.create(
            vehicle=vehicle,
            kind=VehicleDocument.Kind.ROADWORTHINESS,
            expires_on=dt.date(2026, 12, 1),
        )

    assert_flat_per_batch(scan_vehicle_documents, paper_expiring, monkeypatch, batch=10)


def test_the_probation_scan_costs_queries_per_batch_not_per_row(association, monkeypatch, at):
    insured(association, "Clio", InsurancePolicy.YoungDriverRule.FORBIDDEN)
    at(paris(2026, 3, 29, 7, 0))

    def probation_ending(index):
        membership = MembershipFactory(association=association)
        DriverProfileFactory(
            user=membership.user,
            birth_date=dt.date(2000, 1, 1),
            licence_issued_on=dt.date(2023, 3, 29),
        )

    assert_flat_per_batch(scan_probation_ends, probation_ending, monkeypatch)
