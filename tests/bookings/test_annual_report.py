"""The annual report of villerouge (the demo): both years, in HTML and PDF, and figures that
match the logbook's trips and the ledger."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.formats import number_format

from bookings.models import Booking, Trip
from bookings.reports.annual import annual_report
from ledger.models import LedgerTransaction
from ledger.selectors.noprofit import no_profit_check
from members.models import Association, Membership
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
Kind = LedgerTransaction.Kind


@pytest.fixture
def villerouge(settings):
    settings.DEBUG = True
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    return Association.objects.get(slug="villerouge")


@pytest.fixture
def alice(villerouge):
    client = Client()
    client.force_login(Membership.objects.get(user__email="admin@villerouge.example").user)
    return client


def trips_of(association, year):
    """(vehicle id → km, number of trips), straight from the logbook, dated by their end."""
    km, count = Counter(), Counter()
    tz = association.tz
    for trip in Trip.objects.filter(
        booking__vehicle__association=association, booking__status=Booking.Status.COMPLETED
    ).select_related("booking"):
        end = max(trip.booking.end, trip.checked_in_at).astimezone(tz)
        if end.year == year:
            km[trip.booking.vehicle_id] += trip.km
            count[trip.booking.vehicle_id] += 1
    return km, count


def ledger_of(association, year):
    rows = LedgerTransaction.objects.filter(association=association, date__year=year)
    trip_km = defaultdict(int)
    for vehicle_id, km in rows.filter(kind=Kind.TRIP).values_list("vehicle_id", "km"):
        trip_km[vehicle_id] += km
    totals = {
        kind: rows.filter(kind=kind).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        for kind in Kind.values
    }
    return trip_km, rows.filter(kind=Kind.TRIP).count(), totals


def test_the_demo_has_two_years_of_trips_growing(villerouge):
    with time_machine.travel(NOW, tick=False):
        report = annual_report(villerouge, 2026)
    assert (report.previous.year, report.current.year) == (2025, 2026)
    assert report.previous.trips >= 40 and report.current.trips >= 30  # Jan. to mid-June
    assert report.current.cars_used == report.previous.cars_used == 3
    assert report.previous.people.during >= 3 and report.current.people.during >= 4  # Léa
    assert all(km > 0 for km in report.previous.km_by_month)  # every month of 2025


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_figures_match_the_logbook_and_the_ledger(villerouge, year):
    with time_machine.travel(NOW, tick=False):
        figures = annual_report(villerouge, 2026).current if year == 2026 else None
        figures = figures or annual_report(villerouge, 2025).current
    km, count = trips_of(villerouge, year)
    ledger_km, ledger_trips, totals = ledger_of(villerouge, year)
    assert {car.vehicle.pk: car.km for car in figures.cars if car.trips} == dict(km)
    assert {car.vehicle.pk: car.trips for car in figures.cars if car.trips} == dict(count)
    assert dict(km) == dict(ledger_km)  # every trip of the logbook is charged, nothing else
    assert figures.trips == ledger_trips == sum(count.values())
    assert (
        figures.km == sum(km.values()) == figures.money.ledger_trip_km == sum(figures.km_by_month)
    )
    assert figures.money.trips_without_logbook == 0
    for kind in (Kind.FEE, Kind.EXPENSE, Kind.FUEL, Kind.DAMAGE, Kind.DEDUCTIBLE):
        assert figures.money.total(kind) == totals[kind], kind
    assert figures.money.money_out == totals[Kind.EXPENSE] + totals[Kind.FUEL]
    accounts = no_profit_check(villerouge, year)
    assert figures.money.owners_income == sum((row.income for row in accounts), Decimal("0"))
    assert {row.vehicle.pk: row.costs for row in figures.no_profit} == {
        row.vehicle.pk: row.costs for row in accounts
    }
    members = Membership.objects.filter(
        association=villerouge, joined_on__lte=dt.date(year, 12, 31), status="active"
    )
    assert figures.people.during == members.count()


def test_the_report_page_shows_both_years(villerouge, alice):
    with time_machine.travel(NOW, tick=False):
        response = alice.get("/villerouge/reports/2026/", HTTP_ACCEPT_LANGUAGE="fr")
        report = annual_report(villerouge, 2026)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport annuel 2026" in html
    assert '<th scope="col" class="num">2025</th>' in html
    assert f'<td class="num">{report.previous.km}</td>' in html
    assert f'<td class="num">{report.current.km}</td>' in html
    # Each chart drawn twice: a wide drawing, and a narrow one shown below 600 px.
    assert html.count('<svg class="chart chart--wide"') == 2
    assert html.count('<svg class="chart chart--narrow"') == 2
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert "L’année n’est pas finie" in html
    assert "Contrôle de non-lucrativité" in html and "critères de l’ADEME" in html


def test_the_report_prints_both_years_in_french(villerouge, alice, tmp_path):
    with time_machine.travel(NOW, tick=False):
        response = alice.get("/villerouge/reports/2025/pdf/", HTTP_ACCEPT_LANGUAGE="en")
        report = annual_report(villerouge, 2025)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "rapport-annuel-villerouge-2025.pdf" in response["Content-Disposition"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "rapport-annuel-villerouge-2025.pdf").write_bytes(response.content)
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Rapport annuel 2025" in text  # French, whatever the reader's language
    assert "Autopartage de Villerouge" in text
    assert "2024" in text and "2025" in text
    assert f"Total {report.previous.km} {report.current.km}" in text
    assert "Kilomètres par mois" in text and "Contrôle de non-lucrativité" in text


STRAIGHT_APOSTROPHE = re.compile(r"[^\W\d_]'[^\W\d_]")


def visible_text(page: str) -> str:
    """The words a reader sees: no tag, script or style; entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_each_chart_has_a_caption_and_its_figures_in_words(villerouge, alice):
    with time_machine.travel(NOW, tick=False):
        response = alice.get("/villerouge/reports/2026/", HTTP_ACCEPT_LANGUAGE="fr")
        report = annual_report(villerouge, 2026)
    page = response.content.decode()
    figures = re.findall(r'<figure class="report-chart">(.*?)</figure>', page, re.DOTALL)
    assert len(figures) == 2
    captions = [re.search(r"<figcaption>(.*?)</figcaption>", f, re.DOTALL) for f in figures]
    cars, months = (visible_text(caption.group(1)) for caption in captions if caption)
    assert cars.startswith("Kilomètres par voiture, 2025 et 2026 2026 : ")
    with translation.override("fr"):
        for car in report.current.cars:
            km = number_format(car.km, use_l10n=True, force_grouping=True)
            assert " ".join(f"{car.vehicle.name} {km} km".split()) in cars
    busiest = max(range(12), key=lambda month: report.current.km_by_month[month])
    assert months.startswith("Kilomètres par mois, 2025 et 2026 2026 : ")
    assert f"le plus en {MONTHS[busiest + 1]}" in months
    # The chart itself says the same to a screen reader (its desc).
    assert page.count('<desc id="report-cars-d">2026\u00a0: ') == 1


def test_the_report_has_no_bracketed_plural_and_one_apostrophe(villerouge, alice, tmp_path):
    """ "1 autre conducteur", "2 autres conducteurs": never "autre(s) conducteur(s)"; and the
    typographic apostrophe throughout, on the page as on paper."""
    with time_machine.travel(NOW, tick=False):
        page = alice.get("/villerouge/reports/2026/", HTTP_ACCEPT_LANGUAGE="fr")
        printed = alice.get("/villerouge/reports/2026/pdf/")
    for text in (visible_text(page.content.decode()), pdf_text(printed.content, tmp_path)):
        assert "(s)" not in text
        assert not STRAIGHT_APOSTROPHE.findall(text)
        assert "’" in text


def test_the_report_costs_a_fixed_number_of_queries(villerouge, alice):
    """The same queries for a year of 90 trips, of 20 and of none: per year, not per row."""

    def count(year: int) -> int:
        with CaptureQueriesContext(connection) as queries, time_machine.travel(NOW, tick=False):
            assert alice.get(f"/villerouge/reports/{year}/").status_code == 200
        return len(queries)

    full = count(2025)
    assert count(2026) == full
    kept = Trip.objects.filter(booking__vehicle__association=villerouge).order_by("pk")[:20]
    Trip.objects.exclude(pk__in=list(kept.values_list("pk", flat=True))).delete()
    assert count(2026) == full
    print(f"annual report page: {full} queries")


def test_a_year_outside_the_range_is_not_found(villerouge, alice):
    with time_machine.travel(NOW, tick=False):
        assert alice.get("/villerouge/reports/2027/").status_code == 404
        assert alice.get("/villerouge/reports/1999/").status_code == 404
        assert alice.get("/villerouge/reports/2000/").status_code == 200


def test_the_figures_as_csv_match_the_page_and_cannot_run_formulas(villerouge, alice):
    from vehicles.models import Vehicle

    Vehicle.objects.filter(association=villerouge, name="Kangoo").update(
        name='=HYPERLINK("http://evil.example")'
    )
    with time_machine.travel(NOW, tick=False):
        response = alice.get("/villerouge/reports/2025/csv/", HTTP_ACCEPT_LANGUAGE="en")
        report = annual_report(villerouge, 2025)
    assert response.status_code == 200
    assert "rapport-annuel-villerouge-2025.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Section;Indicateur;2024;2025"  # French, whatever the reader's language
    assert f"L’année en bref;Kilomètres parcourus;{report.previous.km};{report.current.km}" in lines
    assert any(line.startswith("L’année en bref;Cotisations;") for line in lines)
    cells = [cell for row in csv.reader(lines, delimiter=";") for cell in row]
    evil = [cell for cell in cells if "HYPERLINK" in cell]
    assert len(evil) >= 3 and all(cell.startswith("'=HYPERLINK") for cell in evil)
