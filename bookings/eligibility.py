"""Eligibility: may this driver book this vehicle from start to end? One service for the
pages, the API and the nightly checks. It answers stable reason codes (clients rely on
them) with a French sentence for people that says what to do.

Order matters: the first refusal is the one a client gets as `code`; all are listed.
`young_driver_deductible` is a warning: the booking goes through once the driver accepts
the higher deductible it states.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from bookings.selectors.overlap import blocks_until, first_overlap
from bookings.selectors.owner_time import CapExceeded, Period, cap_exceeded, first_blocked_period
from contracts.selectors import (
    AgreementStatus,
    agreement_status_for,
    agreement_status_map,
    agreement_status_on,
)
from core.errors import ConflictError, DomainError, ForbiddenError
from core.money import format_euros
from core.timeutils import real_duration
from members.drivers import YoungDriverStatus, young_driver_status
from members.models import DriverProfile, Membership
from vehicles.models import InsurancePolicy, Vehicle, VehicleOwnership
from vehicles.selectors import active_policy, is_owner

MEMBERSHIP_INACTIVE = "membership_inactive"
PROFILE_INCOMPLETE = "profile_incomplete"
LICENCE_INVALID = "licence_invalid"
YOUNG_DRIVER_FORBIDDEN = "young_driver_forbidden"
YOUNG_DRIVER_DEDUCTIBLE = "young_driver_deductible"
NO_AGREEMENT = "no_agreement"
AGREEMENT_OUTDATED = "agreement_outdated"
NOT_ALLOWED_DRIVER = "not_allowed_driver"
TOO_SHORT_NOTICE = "too_short_notice"
TOO_LONG = "too_long"
INSURANCE_INVALID = "insurance_invalid"
OVERLAP = "overlap"
VEHICLE_UNAVAILABLE = "vehicle_unavailable"
MONTHLY_CAP_REACHED = "monthly_cap_reached"

REASON_CODES = (
    MEMBERSHIP_INACTIVE,
    PROFILE_INCOMPLETE,
    LICENCE_INVALID,
    YOUNG_DRIVER_FORBIDDEN,
    YOUNG_DRIVER_DEDUCTIBLE,
    NO_AGREEMENT,
    AGREEMENT_OUTDATED,
    NOT_ALLOWED_DRIVER,
    TOO_SHORT_NOTICE,
    TOO_LONG,
    INSURANCE_INVALID,
    OVERLAP,
    VEHICLE_UNAVAILABLE,
    MONTHLY_CAP_REACHED,
)
# Refusals that say the time is taken (409); the others say the driver may not (403).
CONFLICT_CODES = (OVERLAP, VEHICLE_UNAVAILABLE)

OVERLAP_MESSAGE = _(
    "The vehicle is already booked at that time. Choose another time or another vehicle."
)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str | Promise
    warning: bool = False
    deductible: Decimal | None = None


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def refusals(self) -> list[Reason]:
        return [reason for reason in self.reasons if not reason.warning]

    @property
    def warnings(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.warning]

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    @property
    def higher_deductible(self) -> Decimal | None:
        return next((r.deductible for r in self.warnings if r.deductible is not None), None)

    def require(self, *, deductible_accepted: bool) -> None:
        """Raise the first refusal (overlap is a 409, the others 403), or an unaccepted warning."""
        refusals = self.refusals
        if refusals:
            raise reason_error(refusals[0], [r.code for r in refusals])
        if self.warnings and not deductible_accepted:
            warning = self.warnings[0]
            raise ForbiddenError(
                warning.message,
                code=warning.code,
                reasons=[warning.code],
                deductible=str(warning.deductible) if warning.deductible is not None else None,
            )


def reason_error(reason: Reason, codes: list[str] | None = None) -> DomainError:
    """The refusal as an error: 409 when the time is taken, 403 otherwise."""
    error = ConflictError if reason.code in CONFLICT_CODES else ForbiddenError
    return error(reason.message, code=reason.code, reasons=codes or [reason.code])


@dataclass(frozen=True)
class Request:
    """What is asked: a driver, a vehicle and a slot; who asks and what to skip."""

    driver: Membership
    vehicle: Vehicle
    start: dt.datetime
    end: dt.datetime
    booked_by: Membership | None = None
    exclude_pk: int | None = None
    check_notice: bool = True
    check_overlap: bool = True
    # A past trip (the paper logbook): the agreement that held on this day counts, not today's.
    agreement_on: dt.date | None = None


def check_eligibility(
    *,
    driver: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    booked_by: Membership | None = None,
    exclude_pk: int | None = None,
    check_notice: bool = True,
    check_overlap: bool = True,
    agreement_on: dt.date | None = None,
) -> Eligibility:
    """Every reason why `driver` may not (or may only with a warning) book `vehicle`;
    `agreement_on` (a past trip's first day) checks the agreement of that day."""
    request = Request(
        driver,
        vehicle,
        start,
        end,
        booked_by,
        exclude_pk,
        check_notice,
        check_overlap,
        agreement_on,
    )
    reasons = _reasons(request, _facts_of(driver, vehicle))
    if check_overlap:
        if first_overlap(vehicle=vehicle, start=start, end=end, exclude_pk=exclude_pk):
            reasons.append(Reason(OVERLAP, OVERLAP_MESSAGE))
        reasons += owner_time_reasons(
            vehicle=vehicle, driver=driver, start=start, end=end, exclude_pk=exclude_pk
        )
    return Eligibility(tuple(reasons))


def owner_time_reasons(
    *,
    vehicle: Vehicle,
    driver: Membership | None,
    start: dt.datetime,
    end: dt.datetime,
    exclude_pk: int | None = None,
) -> list[Reason]:
    """The owners' own time: a period the car is not lent (the car is held until its end
    plus the buffer), and the monthly cap on the driver's hours."""
    reasons = []
    period = first_blocked_period(
        vehicle=vehicle, start=start, end=blocks_until(vehicle, end), driver=driver
    )
    if period is not None:
        reasons.append(_unavailable(period, vehicle))
    exceeded = (
        cap_exceeded(driver=driver, vehicle=vehicle, start=start, end=end, exclude_pk=exclude_pk)
        if driver is not None
        else None
    )
    if exceeded is not None:
        reasons.append(_cap_reached(exceeded))
    return reasons


def _unavailable(period: Period, vehicle: Vehicle) -> Reason:
    tz = vehicle.association.tz
    values = {
        "start": date_format(period.start.astimezone(tz), "l j F H:i"),
        "end": date_format(period.end.astimezone(tz), "l j F H:i"),
    }
    if period.rule.reason:
        message = _(
            "The owner keeps the car from %(start)s to %(end)s (%(reason)s): it is not lent "
            "then. Choose another time or another car."
        ) % {**values, "reason": period.rule.reason}
    else:
        message = (
            _(
                "The owner keeps the car from %(start)s to %(end)s: it is not lent then. Choose "
                "another time or another car."
            )
            % values
        )
    return Reason(VEHICLE_UNAVAILABLE, message)


def _cap_reached(exceeded: CapExceeded) -> Reason:
    return Reason(
        MONTHLY_CAP_REACHED,
        _(
            "The owner lends this car at most %(cap)s hours a month to a driver; you have "
            "already booked %(used)s hours in %(month)s. Book a shorter time, another month "
            "or another car."
        )
        % {
            "cap": exceeded.cap.hours_per_month,
            "used": f"{exceeded.booked_hours:g}",
            "month": date_format(exceeded.month, "F Y"),
        },
    )


@dataclass(frozen=True)
class Facts:
    """What the rules read from the database about one driver and one vehicle. For one
    booking, `listed` and `agreement` stay unknown (None) and the rule reads them only if
    it gets that far; the nightly re-check loads them all in bulk."""

    profile: DriverProfile | None
    policy: InsurancePolicy | None
    owner: bool
    listed: bool | None  # on the vehicle's list of drivers, when the list is used
    agreement: AgreementStatus | None  # when the association requires agreements


def _facts_of(driver: Membership, vehicle: Vehicle) -> Facts:
    owner = is_owner(driver, vehicle)
    return Facts(
        profile=DriverProfile.objects.filter(user_id=driver.user_id).first(),
        policy=active_policy(vehicle),
        owner=owner,
        listed=None,
        agreement=None,
    )


def _reasons(request: Request, facts: Facts) -> list[Reason]:
    reasons: list[Reason] = []
    reasons += _driver_reasons(request, facts.profile)
    if not facts.owner:
        reasons += _young_driver_reasons(request, facts.profile, facts.policy)
        reasons += _agreement_reasons(request, facts.agreement)
        reasons += _vehicle_rule_reasons(request, facts.listed)
    reasons += _insurance_reasons(request, facts.policy)
    return reasons


def eligibility_of_bookings(bookings: Sequence[Booking]) -> dict[int, Eligibility]:
    """Re-check many existing bookings (nightly), as `eligibility_of_booking` does each one,
    reading the database a fixed number of times per association whatever their number.

    The bookings need `vehicle__association` and `driver` loaded (select_related).
    """
    facts = _facts_in_bulk(bookings)
    return {
        booking.pk: Eligibility(tuple(_reasons(_recheck(booking), facts[booking.pk])))
        for booking in bookings
    }


def _recheck(booking: Booking) -> Request:
    return Request(
        booking.driver,
        booking.vehicle,
        booking.start,
        booking.end,
        exclude_pk=booking.pk,
        check_notice=False,
        check_overlap=False,
    )


def _facts_in_bulk(bookings: Sequence[Booking]) -> dict[int, Facts]:
    vehicle_ids = {b.vehicle_id for b in bookings}
    profiles = {
        p.user_id: p
        for p in DriverProfile.objects.filter(user_id__in={b.driver.user_id for b in bookings})
    }
    policies = {
        p.vehicle_id: p
        for p in InsurancePolicy.objects.filter(vehicle_id__in=vehicle_ids, is_active=True)
    }
    owned = set(
        VehicleOwnership.objects.filter(vehicle_id__in=vehicle_ids).values_list(
            "vehicle_id", "owner_id"
        )
    )
    listed = set(
        Vehicle.allowed_drivers.through.objects.filter(vehicle_id__in=vehicle_ids).values_list(
            "vehicle_id", "membership_id"
        )
    )
    agreements: dict[tuple[int, int], AgreementStatus] = {}
    for association in {b.vehicle.association for b in bookings}:
        if association.agreement_required:
            agreements.update(agreement_status_map(association=association))
    return {
        b.pk: Facts(
            profile=profiles.get(b.driver.user_id),
            policy=policies.get(b.vehicle_id),
            owner=(b.vehicle_id, b.driver_id) in owned,
            listed=(b.vehicle_id, b.driver_id) in listed,
            agreement=agreements.get((b.driver_id, b.vehicle_id), "none"),
        )
        for b in bookings
    }


def eligibility_of_booking(booking: Booking) -> Eligibility:
    """Re-check an existing booking (nightly): the same rules, without notice or overlap."""
    return check_eligibility(
        driver=booking.driver,
        vehicle=booking.vehicle,
        start=booking.start,
        end=booking.end,
        exclude_pk=booking.pk,
        check_notice=False,
        check_overlap=False,
    )


def _local_day(moment: dt.datetime, vehicle: Vehicle) -> dt.date:
    return timezone.localtime(moment, vehicle.association.tz).date()


def _driver_reasons(request: Request, profile: DriverProfile | None) -> list[Reason]:
    if not request.driver.is_active:
        return [
            Reason(
                MEMBERSHIP_INACTIVE,
                _(
                    "Your membership is not active. Ask an administrator of the association "
                    "to reactivate it."
                ),
            )
        ]
    if profile is None or not profile.is_complete:
        return [
            Reason(
                PROFILE_INCOMPLETE,
                _(
                    "Your driver profile is incomplete. Fill in your birth date, licence "
                    "number and licence issue date in your driver profile."
                ),
            )
        ]
    first_day = _local_day(request.start, request.vehicle)
    last_day = _local_day(request.end, request.vehicle)
    issued = profile.licence_issued_on
    if issued is None or issued > first_day or not profile.licence_valid_on(last_day):
        return [
            Reason(
                LICENCE_INVALID,
                _(
                    "Your driving licence is not valid for these dates. Update your driver "
                    "profile with your current licence."
                ),
            )
        ]
    return []


def _young_driver_reasons(
    request: Request, profile: DriverProfile | None, policy: InsurancePolicy | None
) -> list[Reason]:
    """The vehicle's insurance rule for young drivers, on the first day of the booking."""
    if policy is None or policy.young_driver_rule == InsurancePolicy.YoungDriverRule.ALLOWED:
        return []
    rule = policy.young_driver_rule
    status = young_status(profile, policy, _local_day(request.start, request.vehicle))
    if status is None or not status.counts_as_young:  # below the minimums, or on probation
        return []
    if rule == InsurancePolicy.YoungDriverRule.FORBIDDEN:
        return [_young_forbidden(policy, status)]
    amount = policy.young_driver_deductible or policy.deductible
    return [
        Reason(
            YOUNG_DRIVER_DEDUCTIBLE,
            _(
                "As a young driver, your deductible on this vehicle is %(amount)s instead of "
                "%(usual)s: in case of an accident, you would pay up to that amount. Tick the "
                "box to accept it, or choose another vehicle."
            )
            % {"amount": format_euros(amount), "usual": format_euros(policy.deductible)},
            warning=True,
            deductible=amount,
        )
    ]


def young_status(
    profile: DriverProfile | None, policy: InsurancePolicy, day: dt.date
) -> YoungDriverStatus | None:
    """The driver's young-driver status under the policy's minimums on `day` (a local day),
    or None when the profile lacks the dates to tell."""
    if profile is None or not profile.birth_date or not profile.licence_issued_on:
        return None
    return young_driver_status(
        birth_date=profile.birth_date,
        licence_issued_on=profile.licence_issued_on,
        accompanied_driving=profile.accompanied_driving,
        post_licence_training=profile.post_licence_training,
        on=day,
        min_age=policy.min_driver_age,
        min_licence_years=policy.min_licence_years,
    )


def _young_forbidden(policy: InsurancePolicy, status: YoungDriverStatus) -> Reason:
    """The refusal, naming what makes this driver young for this vehicle's insurance."""
    if status.young_by_age:
        message = _(
            "The insurance of this vehicle does not cover drivers under %(age)s. Choose "
            "another vehicle: the planning shows those open to you."
        ) % {"age": policy.min_driver_age}
    elif status.young_by_licence:
        message = _(
            "The insurance of this vehicle does not cover drivers whose licence is less than "
            "%(years)s years old. Choose another vehicle: the planning shows those open to you."
        ) % {"years": policy.min_licence_years}
    else:
        message = _(
            "The insurance of this vehicle does not cover probationary licences; yours becomes "
            "final on %(end)s. Choose another vehicle: the planning shows those open to you."
        ) % {"end": date_format(status.probation_end, "DATE_FORMAT")}
    return Reason(YOUNG_DRIVER_FORBIDDEN, message)


def _agreement_reasons(request: Request, known: AgreementStatus | None = None) -> list[Reason]:
    """A signed, current agreement with the vehicle's lender, when the association asks for one."""
    if not request.vehicle.association.agreement_required:
        return []
    status = known or _agreement_status(request)
    if status == "none":
        return [
            Reason(
                NO_AGREEMENT,
                _(
                    "You have no signed agreement for this vehicle. Ask an administrator to "
                    "print it, and sign it with the owner before your first trip."
                ),
            )
        ]
    if status == "outdated":
        return [
            Reason(
                AGREEMENT_OUTDATED,
                _(
                    "Your agreement for this vehicle is out of date (its insurance, deductible, "
                    "tariff or keys changed). Sign the new version with an administrator "
                    "before booking."
                ),
            )
        ]
    return []


def _agreement_status(request: Request) -> AgreementStatus:
    driver, vehicle = request.driver, request.vehicle
    if request.agreement_on is not None:
        return agreement_status_on(membership=driver, vehicle=vehicle, day=request.agreement_on)
    return agreement_status_for(membership=driver, vehicle=vehicle)


def _vehicle_rule_reasons(request: Request, listed: bool | None = None) -> list[Reason]:
    vehicle, reasons = request.vehicle, []
    if listed is None and vehicle.drivers_restricted:
        listed = vehicle.allowed_drivers.filter(pk=request.driver.pk).exists()
    if vehicle.drivers_restricted and not listed:
        reasons.append(
            Reason(
                NOT_ALLOWED_DRIVER,
                _(
                    "The owner has not put you on the list of drivers of this vehicle. "
                    "Ask the owner to add you."
                ),
            )
        )
    booked_by_admin = request.booked_by is not None and request.booked_by.is_admin
    notice = dt.timedelta(hours=vehicle.min_notice_hours)
    if request.check_notice and not booked_by_admin and request.start < timezone.now() + notice:
        reasons.append(
            Reason(
                TOO_SHORT_NOTICE,
                _(
                    "This vehicle must be booked at least %(hours)s hours in advance. Choose a "
                    "later start or ask the owner."
                )
                % {"hours": vehicle.min_notice_hours},
            )
        )
    limit = vehicle.max_booking_hours
    if limit is not None and real_duration(request.start, request.end) > dt.timedelta(hours=limit):
        reasons.append(
            Reason(
                TOO_LONG,
                _(
                    "This vehicle can be booked for %(hours)s hours at most. Shorten the "
                    "booking or split it in several."
                )
                % {"hours": limit},
            )
        )
    return reasons


def _insurance_reasons(request: Request, policy: InsurancePolicy | None) -> list[Reason]:
    first_day = _local_day(request.start, request.vehicle)
    last_day = _local_day(request.end, request.vehicle)
    if policy is not None and policy.is_valid_on(first_day) and policy.is_valid_on(last_day):
        return []
    return [
        Reason(
            INSURANCE_INVALID,
            _(
                "The vehicle's insurance is not valid for these dates. Tell the owner or an "
                "administrator, and choose another vehicle meanwhile."
            ),
        )
    ]
