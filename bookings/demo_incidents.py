"""Demo of the owner's peace of mind (issue 17), on villerouge's Clio: camille keeps it on
weekday mornings (07:30–09:00), a scratch from bruno's last trip settled within the
deductible (with photos and the garage's invoice), and a chip on the windscreen still open
(with a photo), which bruno sees when he takes the car. Idempotent: each part is added
only when missing. Called by bookings.demo after the trips and bookings."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.models import Booking, Incident, Unavailability
from bookings.models_owner_time import WORKING_DAYS
from bookings.services.incidents import Assessment, Report, assess_incident, report_incident
from bookings.services.owner_time import Block, block_period
from bookings.services.settlement import Decision, settle_incident
from core.errors import DomainError
from core.timeutils import make_local
from members.models import Association, Membership
from vehicles.models import Vehicle

Log = Callable[[str], None]


def seed(
    association: Association,
    people: dict[str, Membership],
    cars: dict[str, Vehicle],
    today: dt.date,
    log: Log,
) -> None:
    clio = cars.get("Clio")
    if clio is None or not {"admin", "camille", "bruno"} <= set(people):
        return
    try:
        _camille_mornings(association, people["camille"], clio, today, log)
        _settled_scratch(people, clio, log)
        _open_chip(people["camille"], clio, today, log)
    except DomainError as error:
        log(f"bookings: owner demo skipped: {error.message}")


def _camille_mornings(
    association: Association, camille: Membership, clio: Vehicle, today: dt.date, log: Log
) -> None:
    if Unavailability.objects.filter(vehicle=clio).exists():
        return
    first = today + dt.timedelta(days=1)
    start = make_local(first, dt.time(7, 30), association.tz)
    block = Block(start, start + dt.timedelta(minutes=90), "Trajet travail", WORKING_DAYS)
    block_period(actor=camille, vehicle=clio, block=block)
    log("Clio kept by camille on weekday mornings, 07:30–09:00")


def _settled_scratch(people: dict[str, Membership], clio: Vehicle, log: Log) -> None:
    if Incident.objects.filter(vehicle=clio, status=Incident.Status.SETTLED).exists():
        return
    trip = (
        Booking.objects.filter(
            vehicle=clio, driver=people["bruno"], status=Booking.Status.COMPLETED
        )
        .order_by("-start")
        .first()
    )
    if trip is None:
        return
    incident = report_incident(
        actor=people["bruno"],
        report=Report(
            vehicle=clio,
            kind=Incident.Kind.SCRATCH,
            description="Rayure sur l'aile avant droite en manœuvrant au marché.",
            booking=trip,
            occurred_at=trip.end - dt.timedelta(hours=1),
            photos=[photo("rayure-1.png", 1), photo("rayure-2.png", 2)],
        ),
    )
    assess_incident(
        actor=people["camille"],
        incident=incident,
        assessment=Assessment(
            kind=Incident.Kind.SCRATCH,
            repair_cost=Decimal("380.00"),
            document_kind=Incident.RepairDocument.INVOICE,
        ),
    )
    settle_incident(
        actor=people["admin"],
        incident=incident,
        decision=Decision(
            responsible=people["bruno"],
            amount=Decimal("380.00"),
            note="Bruno reconnaît la rayure ; facture du garage Martin.",
        ),
    )
    log("incident Clio: scratch settled, 380 € charged to bruno")


def _open_chip(camille: Membership, clio: Vehicle, today: dt.date, log: Log) -> None:
    if Incident.objects.filter(vehicle=clio, status__in=Incident.OPEN_STATUSES).exists():
        return
    report_incident(
        actor=camille,
        report=Report(
            vehicle=clio,
            kind=Incident.Kind.OTHER,
            description="Petit impact sur le pare-brise, côté passager, vu en lavant la voiture.",
            occurred_at=make_local(today - dt.timedelta(days=2), dt.time(18), clio.association.tz),
            photos=[photo("pare-brise.png", 3)],
        ),
    )
    log("incident Clio: windscreen chip, open")


def photo(name: str, variant: int) -> SimpleUploadedFile:
    """A small drawing of a car's side with a red mark, as a PNG (stands for a photo)."""
    return SimpleUploadedFile(name, _png(320, 200, variant), content_type="image/png")


def _png(width: int, height: int, variant: int) -> bytes:
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            row += bytes(_pixel(x, y, width, height, variant))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _pixel(x: int, y: int, width: int, height: int, variant: int) -> tuple[int, int, int]:
    body_top, body_bottom = height // 3, height * 3 // 4
    on_mark = abs((y - body_top) - (x - width // 3 - 20 * variant) // 3) <= 2
    if on_mark and x > width // 3 and body_top <= y <= body_bottom:
        return (200, 30, 30)  # the mark
    if body_top <= y <= body_bottom and width // 10 <= x <= width * 9 // 10:
        return (70 + 20 * variant, 110, 160)  # the car's side
    for cx in (width // 4, width * 3 // 4):  # the wheels
        if (x - cx) ** 2 + (y - body_bottom) ** 2 <= (height // 9) ** 2:
            return (30, 30, 30)
    return (225, 230, 225)  # the street


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
