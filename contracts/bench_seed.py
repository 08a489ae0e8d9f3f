"""Bench data for agreements: each vehicle's regular co-drivers (3 to 8 members who are not
its owners) hold a signed agreement for it (ended for members who left), with the terms in
force today, so that bookings' bench part books them and eligibility lets them book.

The bench accounts' memberships co-drive every vehicle of their association (the booking
scenario books any of them). For one pair per account association the agreement is made
by the real services (a rendered, stored PDF, then the signature): its id goes to the
accounts as `agreement_id`. The other agreements are bulk rows: their terms are computed
as the services compute them, but they have no stored PDF (their download answers 404).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from contracts.context import agreement_terms
from contracts.models import Agreement
from contracts.services import generate_agreement, record_agreement_signature
from core.bench_seeding import PARIS, BenchContext
from members.models import Membership
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership

CO_DRIVERS_PER_VEHICLE = (3, 8)


class Terms(NamedTuple):
    terms: dict[str, Any]
    since: dt.date


def seed(ctx: BenchContext) -> None:
    owners = _owners_by_vehicle(ctx)
    real = _real_agreements(ctx, owners)
    template = next(iter(real.values()), None)
    taken = {(a.vehicle_id, a.driver_id) for a in real.values()}
    drivers = _drivers_by_association(ctx)
    terms_today = _terms_today(ctx)
    ctx.bulk_create(
        Agreement,
        (
            agreement
            for vehicle in ctx.of(Vehicle)
            for agreement in _agreements_of(
                ctx, vehicle, drivers, owners, template, taken, terms_today
            )
        ),
    )
    ctx.objects.setdefault("contracts.Agreement", []).extend(real.values())
    for account in ctx.accounts:
        agreement = real.get(account["association_id"])
        if agreement is not None:
            account["agreement_id"] = agreement.pk
            account["contract_id"] = agreement.pk  # the API's /contracts/{pk}/ (fuzzer)
            account["agreement_vehicle_id"] = agreement.vehicle_id
            account["agreement_driver_id"] = agreement.driver_id


def _owners_by_vehicle(ctx: BenchContext) -> dict[int, set[int]]:
    owners: dict[int, set[int]] = defaultdict(set)
    for share in ctx.of(VehicleOwnership):
        owners[share.vehicle_id].add(share.owner_id)
    return owners


def _drivers_by_association(ctx: BenchContext) -> dict[int, list[Membership]]:
    """Members who drive or drove: everyone but those who never got past the request."""
    grouped: dict[int, list[Membership]] = defaultdict(list)
    for membership in ctx.of(Membership):
        if membership.status != Membership.Status.PENDING:
            grouped[membership.association_id].append(membership)
    return grouped


def _account_membership_ids(ctx: BenchContext) -> set[int]:
    return {account["membership_id"] for account in ctx.accounts}


def _real_agreements(ctx: BenchContext, owners: dict[int, set[int]]) -> dict[int, Agreement]:
    """association id -> an agreement made by the services for the member account."""
    vehicles: dict[int, list[Vehicle]] = defaultdict(list)
    for row in ctx.of(Vehicle):
        vehicles[row.association_id].append(row)
    memberships = {m.pk: m for m in ctx.of(Membership)}
    made: dict[int, Agreement] = {}
    for account in ctx.accounts:
        if account["role"] != Membership.Role.MEMBER:
            continue
        driver = memberships[account["membership_id"]]
        vehicle = next(
            (v for v in vehicles[driver.association_id] if driver.pk not in owners[v.pk]), None
        )
        admin = next(
            (m for m in memberships.values() if m.association_id == driver.association_id
             and m.role == Membership.Role.ADMIN and m.status == Membership.Status.ACTIVE),
            None,
        )  # fmt: skip
        if vehicle is None or admin is None:
            continue
        drafted = generate_agreement(actor=admin, vehicle=vehicle, driver=driver)
        made[driver.association_id] = record_agreement_signature(
            actor=admin, agreement=drafted, signed_on=ctx.today
        )
    return made


def _agreements_of(
    ctx: BenchContext,
    vehicle: Vehicle,
    drivers: dict[int, list[Membership]],
    owners: dict[int, set[int]],
    template: Agreement | None,
    taken: set[tuple[int, int]],
    terms_today: dict[int, Terms],
) -> Iterator[Agreement]:
    candidates = [m for m in drivers[vehicle.association_id] if m.pk not in owners[vehicle.pk]]
    count = min(len(candidates), ctx.rng.randint(*CO_DRIVERS_PER_VEHICLE))
    chosen = {m.pk: m for m in ctx.rng.sample(candidates, count)}
    accounts = _account_membership_ids(ctx)
    chosen |= {m.pk: m for m in candidates if m.pk in accounts}
    terms = terms_today[vehicle.pk]
    for driver in chosen.values():
        if (vehicle.pk, driver.pk) not in taken:
            yield _agreement(ctx, vehicle, driver, terms, template)


def _terms_today(ctx: BenchContext) -> dict[int, Terms]:
    """vehicle id -> the terms its agreements hold today (as contracts.selectors computes)
    and the first day of today's tariff (agreements were signed again from then on)."""
    policies = {p.vehicle_id: p for p in ctx.of(InsurancePolicy) if p.is_active}
    tariffs: dict[int, Tariff] = {}
    for tariff in sorted(ctx.of(Tariff), key=lambda t: t.valid_from):
        if tariff.valid_from <= ctx.today:
            tariffs[tariff.vehicle_id] = tariff
    return {
        v.pk: Terms(
            agreement_terms(policies.get(v.pk), tariffs.get(v.pk), v),
            tariffs[v.pk].valid_from if v.pk in tariffs else ctx.start,
        )
        for v in ctx.of(Vehicle)
    }


def _agreement(
    ctx: BenchContext,
    vehicle: Vehicle,
    driver: Membership,
    terms: Terms,
    template: Agreement | None,
) -> Agreement:
    """Signed when the member joined (or when the current tariff began), ended if they left."""
    signed_on = max(d for d in (driver.joined_on, ctx.start, terms.since) if d is not None)
    signed_on = min(signed_on, ctx.today)
    left = driver.status == Membership.Status.LEFT and driver.left_on is not None
    signed_at = dt.datetime.combine(signed_on, dt.time(18, 30), tzinfo=PARIS)
    return Agreement(
        association_id=vehicle.association_id,
        vehicle=vehicle,
        driver=driver,
        status=Agreement.Status.ENDED if left else Agreement.Status.SIGNED,
        template_label=template.template_label if template else "default",
        template_sha256=template.template_sha256 if template else "",
        terms=terms.terms,
        generated_at=signed_at,
        printed_at=signed_at,
        signed_on=signed_on,
        signature_recorded_at=signed_at,
        ended_at=(
            dt.datetime.combine(driver.left_on, dt.time(12), tzinfo=PARIS)
            if left and driver.left_on
            else None
        ),
    )
