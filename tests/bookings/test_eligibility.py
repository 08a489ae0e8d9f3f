"""One test per reason code of the eligibility service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings import eligibility as codes
from bookings.eligibility import check_eligibility
from core.errors import ConflictError, ForbiddenError
from members.models import Membership
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
START = dt.datetime(2026, 12, 1, 9, tzinfo=PARIS)
END = dt.datetime(2026, 12, 1, 12, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


def reasons(member, vehicle, start=START, end=END, **kwargs):
    return check_eligibility(driver=member, vehicle=vehicle, start=start, end=end, **kwargs)


def test_an_eligible_driver_has_no_reason(member, vehicle):
    result = reasons(member, vehicle)
    assert result.allowed and result.codes == []


def test_membership_inactive(member, vehicle):
    member.status = Membership.Status.SUSPENDED
    assert reasons(member, vehicle).codes == [codes.MEMBERSHIP_INACTIVE]


def test_profile_incomplete(member, vehicle):
    member.user.driver_profile.licence_number = ""
    member.user.driver_profile.save()
    assert reasons(member, vehicle).codes == [codes.PROFILE_INCOMPLETE]


def test_licence_invalid_when_expired_before_the_end(member, vehicle):
    profile = member.user.driver_profile
    profile.licence_expires_on = dt.date(2026, 11, 30)
    profile.save()
    result = reasons(member, vehicle)
    assert result.codes == [codes.LICENCE_INVALID]
    assert "permis" in str(result.refusals[0].message)


def test_not_allowed_driver(member, vehicle):
    vehicle.drivers_restricted = True
    vehicle.save()
    assert reasons(member, vehicle).codes == [codes.NOT_ALLOWED_DRIVER]
    vehicle.allowed_drivers.add(member)
    assert reasons(member, vehicle).allowed


def test_too_short_notice_except_for_admins_booking(member, admin, vehicle):
    vehicle.min_notice_hours = 24
    vehicle.save()
    soon = NOW + dt.timedelta(hours=5)
    assert reasons(member, vehicle, soon, soon + dt.timedelta(hours=1)).codes == [
        codes.TOO_SHORT_NOTICE
    ]
    assert reasons(member, vehicle, soon, soon + dt.timedelta(hours=1), booked_by=admin).allowed


def test_too_long_counts_real_hours(member, vehicle):
    vehicle.max_booking_hours = 3
    vehicle.save()
    assert reasons(member, vehicle).allowed
    assert reasons(member, vehicle, START, END + dt.timedelta(minutes=1)).codes == [codes.TOO_LONG]


def test_insurance_invalid(member, vehicle):
    policy = vehicle.insurance_policies.get()
    policy.valid_until = dt.date(2026, 11, 30)
    policy.save()
    assert reasons(member, vehicle).codes == [codes.INSURANCE_INVALID]


def test_overlap(member, admin, vehicle):
    BookingFactory(vehicle=vehicle, driver=admin, start=START, end=END)
    result = reasons(member, vehicle)
    assert result.codes == [codes.OVERLAP]
    with pytest.raises(ConflictError):
        result.require(deductible_accepted=False)


def test_owners_skip_the_driver_rules_of_their_own_car(admin, vehicle):
    vehicle.drivers_restricted = True
    vehicle.min_notice_hours = 100
    vehicle.save()
    assert reasons(admin, vehicle).allowed


def test_first_refusal_is_raised_with_all_codes(member, vehicle):
    member.status = Membership.Status.SUSPENDED
    vehicle.insurance_policies.update(valid_until=dt.date(2026, 1, 1))
    with pytest.raises(ForbiddenError) as error:
        reasons(member, vehicle).require(deductible_accepted=False)
    assert error.value.code == codes.MEMBERSHIP_INACTIVE
    assert error.value.extra["reasons"] == [codes.MEMBERSHIP_INACTIVE, codes.INSURANCE_INVALID]


def test_every_reason_has_a_french_sentence_that_says_what_to_do(member, vehicle):
    from django.utils import translation

    with translation.override("fr"):
        message = str(codes.OVERLAP_MESSAGE)
    assert message.startswith("Le véhicule est déjà réservé") and "Choisissez" in message


def young(member, *, licence_issued_on, birth_date=dt.date(1990, 1, 1)):
    profile = member.user.driver_profile
    profile.birth_date = birth_date
    profile.licence_issued_on = licence_issued_on
    profile.save()


def rule(vehicle, value, deductible=None):
    """Change the young-driver rule, and re-sign the agreements on the new terms."""
    from contracts.models import Agreement
    from tests.factories.contracts import terms_of

    vehicle.insurance_policies.update(
        young_driver_rule=value,
        young_driver_deductible=deductible,
        min_driver_age=21,
        min_licence_years=2,
    )
    Agreement.objects.filter(vehicle=vehicle).update(terms=terms_of(vehicle))


def test_young_driver_forbidden_until_the_probation_anniversary(member, vehicle):
    rule(vehicle, "forbidden")
    young(member, licence_issued_on=dt.date(2023, 12, 2))  # probation ends 2026-12-02
    result = reasons(member, vehicle)
    assert result.codes == [codes.YOUNG_DRIVER_FORBIDDEN]
    young(member, licence_issued_on=dt.date(2023, 12, 1))  # ends on the booking's day
    assert reasons(member, vehicle).allowed


def test_young_driver_forbidden_by_age(member, vehicle):
    rule(vehicle, "forbidden")
    young(member, licence_issued_on=dt.date(2020, 1, 1), birth_date=dt.date(2005, 12, 2))
    assert reasons(member, vehicle).codes == [codes.YOUNG_DRIVER_FORBIDDEN]
    young(member, licence_issued_on=dt.date(2020, 1, 1), birth_date=dt.date(2005, 12, 1))
    assert reasons(member, vehicle).allowed  # 21 on the day of the booking


def test_young_driver_deductible_is_a_warning_to_accept(member, vehicle):
    from decimal import Decimal

    from bookings.services.bookings import create_booking

    rule(vehicle, "higher_deductible", Decimal("800.00"))
    young(member, licence_issued_on=dt.date(2026, 1, 15))
    result = reasons(member, vehicle)
    assert result.allowed and result.codes == [codes.YOUNG_DRIVER_DEDUCTIBLE]
    assert result.higher_deductible == Decimal("800.00")
    with pytest.raises(ForbiddenError) as error:
        result.require(deductible_accepted=False)
    assert error.value.code == codes.YOUNG_DRIVER_DEDUCTIBLE
    assert error.value.extra["deductible"] == "800.00"
    from django.utils import translation

    with translation.override("fr"):
        assert "800,00" in str(result.warnings[0].message)
    booking = create_booking(
        actor=member,
        driver=member,
        vehicle=vehicle,
        start=START,
        end=END,
        deductible_accepted=True,
    )
    assert booking.accepted_deductible == Decimal("800.00")


def test_young_drivers_allowed_by_the_policy_have_no_reason(member, vehicle):
    rule(vehicle, "allowed")
    young(member, licence_issued_on=dt.date(2026, 6, 1))
    assert reasons(member, vehicle).allowed


def test_no_agreement(association, member, admin):
    vehicle = owned_vehicle(admin)
    assert reasons(member, vehicle).codes == [codes.NO_AGREEMENT]
    association.agreement_required = False
    association.save()
    vehicle.refresh_from_db()
    assert reasons(member, vehicle).allowed


def test_agreement_outdated_when_the_deductible_changed(member, vehicle):
    vehicle.insurance_policies.update(deductible="900.00")
    assert reasons(member, vehicle).codes == [codes.AGREEMENT_OUTDATED]


def test_owners_need_no_agreement_with_themselves(admin):
    assert reasons(admin, owned_vehicle(admin)).allowed
