"""The nightly agreements check at its boundary times in Europe/Paris: a change of terms
puts the agreements on the "to re-sign" list and tells the admins once per vehicle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Agreement
from contracts.scans import scan_outdated_agreements
from notifications.models import Notification
from tests.factories.contracts import AgreementFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.vehicles import TariffFactory
from tests.notifications.helpers import assert_flat_per_batch, keys_of, paris
from vehicles.models import InsurancePolicy, Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(time_machine):
    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel


def run():
    return scan_outdated_agreements(now=timezone.now())


@pytest.fixture
def signed(car, association, at):
    at(paris(2026, 3, 20, 10, 0))
    drivers = [
        MembershipFactory(association=association, user=UserFactory(first_name=name))
        for name in ("Bruno", "Léa")
    ]
    return [AgreementFactory(vehicle=car, driver=driver) for driver in drivers]


def test_a_deductible_change_puts_the_agreements_to_re_sign_and_tells_each_admin_once(
    signed, car, admin, association, at
):
    second_admin = MembershipFactory(association=association, role="admin")
    InsurancePolicy.objects.filter(vehicle=car).update(deductible=Decimal("800.00"))
    at(paris(2026, 3, 21, 4, 15))
    counts = run()
    assert counts.checked == 2
    assert counts.created == 2
    assert set(Agreement.objects.values_list("status", flat=True)) == {"to_resign"}
    notification = Notification.objects.get(recipient=admin.user)
    assert notification.subject == "Clio (AB-123-CD)\u00a0: 2 conventions à re-signer"
    assert "- la franchise" in notification.body
    assert "- Bruno " in notification.body and "- Léa " in notification.body
    assert notification.url == "/testville/agreements/?state=to_resign"
    assert keys_of(second_admin.user) == keys_of(admin.user)
    assert run().created == 0


def test_a_tariff_starting_today_counts_from_paris_midnight_on_a_dst_night(signed, car, admin, at):
    TariffFactory(vehicle=car, valid_from=dt.date(2026, 3, 29), price_per_km=Decimal("0.350"))
    at(paris(2026, 3, 28, 23, 59))
    assert run().created == 0
    assert set(Agreement.objects.values_list("status", flat=True)) == {"signed"}
    at(paris(2026, 3, 29, 0, 0))  # 23:00 UTC on the 28th
    assert run().created == 1
    assert "- le tarif" in Notification.objects.get(recipient=admin.user).body


def test_a_key_option_change_is_a_reason_too(signed, car, admin, at):
    Vehicle.objects.filter(pk=car.pk).update(key_mode=Vehicle.KeyMode.SPARE_KEY)
    at(paris(2026, 3, 21, 4, 15))
    run()
    assert "la remise des clés" in Notification.objects.get(recipient=admin.user).body


def test_agreements_marked_by_hand_are_told_too(signed, car, admin, at):
    Agreement.objects.update(
        status=Agreement.Status.TO_RESIGN,
        outdated_since=paris(2026, 3, 20, 18, 0),
        outdated_reasons=["insurance"],
    )
    at(paris(2026, 3, 21, 4, 15))
    assert run().created == 1
    assert "- l’assurance" in Notification.objects.get().body


def test_old_marks_are_history(signed, admin, at):
    Agreement.objects.update(
        status=Agreement.Status.TO_RESIGN,
        outdated_since=paris(2026, 3, 1, 18, 0),
        outdated_reasons=["tariff"],
    )
    at(paris(2026, 3, 21, 4, 15))
    assert run().created == 0


def test_nothing_changed_nothing_said(signed, admin, at):
    at(paris(2026, 3, 21, 4, 15))
    assert (run().created, Notification.objects.count()) == (0, 0)


def test_the_agreements_check_costs_queries_per_batch_not_per_row(
    association, admin, car, monkeypatch, at
):
    at(paris(2026, 3, 21, 4, 15))

    def outdated(index):
        AgreementFactory(
            vehicle=car,
            driver=MembershipFactory(association=association),
            status=Agreement.Status.TO_RESIGN,
            outdated_since=paris(2026, 3, 20, 18, 0) + dt.timedelta(seconds=index),
            outdated_reasons=["deductible"],
        )

    assert_flat_per_batch(lambda now: scan_outdated_agreements(now=now), outdated, monkeypatch)
