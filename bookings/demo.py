"""Demo bookings for villerouge: two years of completed trips typed in from the logbook
(charged like any trip; more of them this year than the year before, so that the annual
report shows the use growing), the last three weeks' trips and upcoming bookings, on the
cars made by vehicles/demo.py; then the owner's time and incidents (bookings.demo_incidents).
Idempotent: no trip or booking is added once the association has bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bookings import demo_incidents
from bookings.models import Booking
from bookings.services.bookings import create_booking
from bookings.services.logbook import LogbookLine, enter_past_trip
from bookings.services.trips import Reading
from core.errors import DomainError
from core.timeutils import local_today, make_local
from members.models import Association, Membership
from vehicles.models import Vehicle

CARS = {"Clio": 41_200, "Zoé de la mairie": 23_480, "Kangoo": 88_010}
# (days ago, car, driver, start hour, hours, km)
PAST_TRIPS = [
    (20, "Clio", "bruno", 9, 3, 46),
    (17, "Kangoo", "camille", 14, 4, 63),
    (15, "Zoé de la mairie", "lea", 10, 2, 18),  # a young driver's deductible: see OVERRIDES
    (13, "Clio", "camille", 8, 5, 112),
    (10, "Zoé de la mairie", "bruno", 17, 2, 24),
    (8, "Kangoo", "bruno", 9, 6, 87),
    (6, "Clio", "bruno", 13, 3, 39),
    (3, "Zoé de la mairie", "camille", 9, 7, 40),
]
# Two years of history before PAST_TRIPS: who may drive each car (its insurance's rules),
# and a trip every HISTORY_STEPS days, fewer in the older year. Deterministic, so that the
# demo's report tells the same story every time.
HISTORY_DRIVERS = {
    "Clio": ("bruno", "admin", "camille"),
    "Zoé de la mairie": ("lea", "bruno", "camille", "admin"),
    "Kangoo": ("camille", "bruno", "admin"),
}
HISTORY_FIRST_DAY, HISTORY_LAST_DAY = 725, 25  # days ago
HISTORY_STEPS = {"older": 21, "last_year": 12}  # days between two trips of a car
HISTORY_OVERRIDE = "Carnet de bord papier, tenu avant l'enregistrement des contrats."


@dataclass(frozen=True)
class HistoryTrip:
    days_ago: int
    driver: str
    hour: int
    hours: int
    km: int


# Paper trips the rules refuse, entered by the admin with a reason (the booking's history
# shows it): lea accepted the Zoé's young-driver deductible on paper, not in the app.
OVERRIDES = {
    (
        "Zoé de la mairie",
        "lea",
    ): "Franchise jeune conducteur acceptée par Léa sur le carnet papier.",
}
# (days ahead, car, driver, start hour, hours, purpose)
UPCOMING = [
    (1, "Clio", "bruno", 9, 4, "Marché de Saint-Martin"),
    (2, "Zoé de la mairie", "lea", 14, 2, "Rendez-vous médical"),
    (4, "Kangoo", "camille", 8, 8, "Déchetterie et jardinerie"),
    (6, "Clio", "camille", 10, 3, ""),
]


def seed(log: Callable[[str], None]) -> None:
    association = Association.objects.filter(slug="villerouge").first()
    if association is None:
        return
    cars = {v.name: v for v in Vehicle.objects.filter(association=association, name__in=CARS)}
    if not cars:
        log("bookings: no demo car yet (vehicles demo missing), skipped")
        return
    people = _people(association)
    admin = people.get("admin")
    if admin is None:
        return
    today = local_today(association.tz)
    if not Booking.objects.filter(vehicle__association=association).exists():
        _history(association, admin, cars, people, today, log)
        _past_trips(association, admin, cars, people, today, log)
        _upcoming(association, admin, cars, people, today, log)
    demo_incidents.seed(association, people, cars, today, log)


def _people(association: Association) -> dict[str, Membership]:
    memberships = Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE
    ).select_related("user")
    return {m.user.email.split("@")[0]: m for m in memberships}


def _slot(
    association: Association, day: dt.date, hour: int, hours: int
) -> tuple[dt.datetime, dt.datetime]:
    start = make_local(day, dt.time(hour), association.tz)
    return start, start + dt.timedelta(hours=hours)


def _past_trips(
    association: Association,
    admin: Membership,
    cars: dict[str, Vehicle],
    people: dict[str, Membership],
    today: dt.date,
    log: Callable[[str], None],
) -> None:
    odometers = dict(CARS)
    for days_ago, car, who, hour, hours, km in PAST_TRIPS:
        if car not in cars or who not in people:
            continue
        start, end = _slot(association, today - dt.timedelta(days=days_ago), hour, hours)
        line = LogbookLine(
            driver=people[who],
            vehicle=cars[car],
            start=start,
            end=end,
            reading_out=Reading(odometers[car], 70),
            reading_in=Reading(odometers[car] + km, 55),
            note="Carnet de bord",
            override=(car, who) in OVERRIDES,
            override_reason=OVERRIDES.get((car, who), ""),
        )
        try:
            enter_past_trip(actor=admin, line=line)
        except DomainError as error:
            log(f"bookings: past trip {car} {who} skipped: {error.message}")
            continue
        odometers[car] += km
        log(f"trip {car} {who} {start:%Y-%m-%d} {km} km")


def history_trips(car: str, people: dict[str, Membership], today: dt.date) -> list[HistoryTrip]:
    """The car's history, oldest first; each trip by a member who had joined by then."""
    offset = list(HISTORY_DRIVERS).index(car) * 4  # the cars' trips fall on different days
    trips: list[HistoryTrip] = []
    days_ago = HISTORY_FIRST_DAY - offset
    while days_ago >= HISTORY_LAST_DAY:
        day = today - dt.timedelta(days=days_ago)
        number = len(trips)
        drivers = [
            who
            for who in HISTORY_DRIVERS[car]
            if who in people and (people[who].joined_on or today) <= day
        ]
        if drivers:
            trips.append(
                HistoryTrip(
                    days_ago=days_ago,
                    driver=drivers[number % len(drivers)],
                    hour=8 + (number * 3) % 9,
                    hours=2 + number % 4,
                    km=18 + (number * 29 + offset * 7) % 95,
                )
            )
        days_ago -= HISTORY_STEPS["older" if days_ago > 365 else "last_year"]
    return trips


def _history(
    association: Association,
    admin: Membership,
    cars: dict[str, Vehicle],
    people: dict[str, Membership],
    today: dt.date,
    log: Callable[[str], None],
) -> None:
    """Two years of logbook lines, chained to the odometers PAST_TRIPS start from."""
    for car, vehicle in cars.items():
        if car not in HISTORY_DRIVERS:
            continue
        trips = history_trips(car, people, today)
        odometer = CARS[car] - sum(trip.km for trip in trips)
        entered = 0
        for trip in trips:
            start, end = _slot(
                association, today - dt.timedelta(days=trip.days_ago), trip.hour, trip.hours
            )
            line = LogbookLine(
                driver=people[trip.driver],
                vehicle=vehicle,
                start=start,
                end=end,
                reading_out=Reading(odometer, 75),
                reading_in=Reading(odometer + trip.km, 60),
                note="Carnet de bord",
                # Typed in from the paper logbook kept before the agreements were recorded
                # in the app: the rules that refuse these trips today are overridden, with
                # the reason kept (nothing is overridden when the rules allow the trip).
                override=True,
                override_reason=HISTORY_OVERRIDE,
            )
            try:
                enter_past_trip(actor=admin, line=line)
            except DomainError as error:
                log(f"bookings: history trip {car} {start:%Y-%m-%d} skipped: {error.message}")
                continue
            odometer += trip.km
            entered += 1
        log(f"history of {car}: {entered} trips")


def _upcoming(
    association: Association,
    admin: Membership,
    cars: dict[str, Vehicle],
    people: dict[str, Membership],
    today: dt.date,
    log: Callable[[str], None],
) -> None:
    for days_ahead, car, who, hour, hours, purpose in UPCOMING:
        if car not in cars or who not in people:
            continue
        start, end = _slot(association, today + dt.timedelta(days=days_ahead), hour, hours)
        try:
            create_booking(
                actor=admin,
                driver=people[who],
                vehicle=cars[car],
                start=start,
                end=end,
                note=purpose,
                deductible_accepted=True,
            )
        except DomainError as error:
            log(f"bookings: booking {car} {who} skipped: {error.message}")
            continue
        log(f"booking {car} {who} {start:%Y-%m-%d %H:%M}")
