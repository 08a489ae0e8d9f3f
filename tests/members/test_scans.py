"""The members scans at their boundary times in Europe/Paris, daylight-saving nights
included: licences expiring, membership fees to renew."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from members.models import Membership
from members.scans import scan_fee_renewals, scan_licence_expiry
from notifications.models import Notification
from tests.factories.members import DriverProfileFactory, MembershipFactory, UserFactory
from tests.notifications.helpers import assert_flat_per_batch, keys_of, paris

pytestmark = pytest.mark.django_db


def run(scan):
    return scan(now=timezone.now())


# --- Licences ------------------------------------------------------------------------------

# 30 days before 28 April 2026 is 29 March 2026, the night clocks go forward in Paris.
EXPIRY = dt.date(2026, 4, 28)


@pytest.fixture
def driver(association):
    membership = MembershipFactory(association=association, user__language="fr")
    DriverProfileFactory(user=membership.user, licence_expires_on=EXPIRY)
    return membership


def test_the_30_day_notice_starts_at_midnight_in_paris_on_a_dst_night(driver, admin, at):
    at(paris(2026, 3, 28, 23, 59, 59))
    assert run(scan_licence_expiry).created == 0
    at(paris(2026, 3, 29, 0, 0))  # 23:00 UTC on the 28th: the UTC date is still the 28th
    counts = run(scan_licence_expiry)
    assert (counts.checked, counts.created) == (1, 1)
    notification = Notification.objects.get()
    assert notification.recipient == driver.user
    assert notification.association == driver.association
    assert notification.subject == "Votre permis de conduire expire dans 30 jours"
    assert keys_of(admin.user) == []  # admins hear of it on the day


def test_the_7_day_notice_starts_on_its_day_and_each_notice_is_sent_once(driver, at):
    at(paris(2026, 3, 29, 7, 0))
    run(scan_licence_expiry)
    at(paris(2026, 4, 20, 23, 59))
    assert run(scan_licence_expiry).created == 0
    at(paris(2026, 4, 21, 0, 0))
    assert run(scan_licence_expiry).created == 1
    assert run(scan_licence_expiry).created == 0
    assert keys_of(driver.user) == [
        f"licence_expiring:driverprofile:{driver.user.driver_profile.pk}:2026-04-28:{stage}d"
        for stage in (30, 7)
    ]


def test_on_the_day_the_driver_and_the_admins_are_told(driver, admin, at):
    at(paris(2026, 4, 28, 0, 0))
    assert run(scan_licence_expiry).created == 2
    assert keys_of(driver.user) == keys_of(admin.user)
    notice = Notification.objects.get(recipient=admin.user)
    assert driver.user.display_name in notice.subject
    assert f"/testville/members/{driver.pk}/" in notice.url


def test_a_late_first_run_sends_only_the_most_urgent_notice(driver, at):
    at(paris(2026, 4, 25, 7, 0))
    run(scan_licence_expiry)
    assert [key[-3:] for key in keys_of(driver.user)] == [":7d"]


def test_a_licence_that_expired_a_few_days_ago_is_caught_up_but_not_an_old_one(driver, at):
    at(paris(2026, 5, 5, 7, 0))  # 7 days after the expiry
    assert run(scan_licence_expiry).created == 1
    Notification.objects.all().delete()
    at(paris(2026, 5, 6, 7, 0))  # 8 days after: old history
    assert run(scan_licence_expiry).created == 0


def test_a_licence_without_expiry_or_a_person_without_membership_is_not_scanned(at):
    DriverProfileFactory(licence_expires_on=None)
    DriverProfileFactory(licence_expires_on=EXPIRY)  # no membership anywhere
    at(paris(2026, 4, 28, 8, 0))
    counts = run(scan_licence_expiry)
    assert (counts.checked, counts.created) == (1, 0)


def test_the_text_is_in_each_persons_language(driver, at):
    english = MembershipFactory(association=driver.association, user__language="en")
    DriverProfileFactory(user=english.user, licence_expires_on=EXPIRY)
    at(paris(2026, 4, 21, 8, 0))
    run(scan_licence_expiry)
    subjects = dict(Notification.objects.values_list("recipient_id", "subject"))
    assert subjects[driver.user_id] == "Votre permis de conduire expire dans 7 jours"
    assert subjects[english.user_id] == "Your driving licence expires in 7 days"


# --- Membership fees -------------------------------------------------------------------------

# 25 October 2026 is the night clocks go back in Paris.
PAID_UNTIL = dt.date(2026, 10, 25)


@pytest.fixture
def payer(association):
    association.membership_fee = Decimal("20.00")
    association.save()
    return MembershipFactory(association=association, fee_paid_until=PAID_UNTIL)


def test_the_fee_notice_a_month_before_starts_at_paris_midnight(payer, at):
    at(paris(2026, 9, 24, 23, 59))
    assert run(scan_fee_renewals).created == 0
    at(paris(2026, 9, 25, 0, 0))  # 22:00 UTC on the 24th
    assert run(scan_fee_renewals).created == 1
    notification = Notification.objects.get()
    assert "20,00" in notification.body
    assert "par an" in notification.body


def test_the_fee_notice_of_the_last_day_on_a_dst_night(payer, at):
    at(paris(2026, 10, 24, 23, 59))
    run(scan_fee_renewals)  # a first run the day before: the month's notice, caught up
    at(paris(2026, 10, 25, 0, 0))
    assert run(scan_fee_renewals).created == 1
    at(paris(2026, 10, 25, 2, 30, fold=1))  # the repeated hour
    assert run(scan_fee_renewals).created == 0
    assert keys_of(payer.user) == [
        f"fee_renewal:membership:{payer.pk}:2026-10-25:{stage}d" for stage in (0, 30)
    ]


def test_no_fee_notice_when_the_association_asks_no_fee(payer, at):
    payer.association.membership_fee = Decimal("0.00")
    payer.association.save()
    at(paris(2026, 10, 25, 8, 0))
    assert run(scan_fee_renewals).checked == 0


def test_no_fee_notice_for_former_members(payer, at):
    Membership.objects.filter(pk=payer.pk).update(status=Membership.Status.LEFT)
    at(paris(2026, 10, 25, 8, 0))
    assert run(scan_fee_renewals).created == 0


def test_a_monthly_fee_says_so(payer, at):
    payer.association.fee_period = payer.association.FeePeriod.MONTH
    payer.association.save()
    at(paris(2026, 10, 25, 8, 0))
    run(scan_fee_renewals)
    assert "par mois" in Notification.objects.get().body


def test_the_fee_scan_of_a_fresh_person_in_english(association, at):
    association.membership_fee = Decimal("15.00")
    association.save()
    MembershipFactory(
        association=association, fee_paid_until=PAID_UNTIL, user=UserFactory(language="en")
    )
    at(paris(2026, 10, 25, 8, 0))
    run(scan_fee_renewals)
    assert Notification.objects.get().subject.startswith("Your membership fee of")


# --- Scale ---------------------------------------------------------------------------------


def test_the_licence_scan_costs_queries_per_batch_not_per_row(association, admin, monkeypatch, at):
    at(paris(2026, 4, 21, 7, 0))

    def licence_expiring(index):
        membership = MembershipFactory(association=association)
        DriverProfileFactory(user=membership.user, licence_expires_on=EXPIRY)

    assert_flat_per_batch(scan_licence_expiry, licence_expiring, monkeypatch)


def test_the_licence_scan_on_the_day_with_admins_stays_flat(association, admin, monkeypatch, at):
    at(paris(2026, 4, 28, 7, 0))

    def licence_expiring(index):
        membership = MembershipFactory(association=association)
        DriverProfileFactory(user=membership.user, licence_expires_on=EXPIRY)

    assert_flat_per_batch(scan_licence_expiry, licence_expiring, monkeypatch, batch=10)


def test_the_fee_scan_costs_queries_per_batch_not_per_row(association, monkeypatch, at):
    association.membership_fee = Decimal("20.00")
    association.save()
    at(paris(2026, 10, 25, 8, 0))

    def fee_ending(index):
        MembershipFactory(association=association, fee_paid_until=PAID_UNTIL)

    assert_flat_per_batch(scan_fee_renewals, fee_ending, monkeypatch)
