"""The owners' monthly summary: each owner once a month, in the app and by e-mail, with
what their cars did last month; queries that do not grow with the number of owners."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.scans import scan_owner_summaries
from notifications.models import Notification
from notifications.registry import get_job
from notifications.runs import run_job
from tests.bookings.notebook.test_notebook import PARIS, incident, trip
from tests.factories.bookings import BookingFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db
APRIL_FIRST = dt.datetime(2027, 4, 1, 8, 30, tzinfo=PARIS)


def plain_spaces(text: str) -> str:
    """French typography puts no-break spaces before ':' and '€'; the figures are read here."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def march_of(clio, owner, member):
    trip(clio, member, 10, 46, 41_200, receipt="30.00")
    trip(clio, member, 12, 20, 41_246)
    incident(clio, owner, 11)
    Vehicle.objects.filter(pk=clio.pk).update(created_at=dt.datetime(2027, 2, 1, tzinfo=PARIS))


def test_the_owner_gets_march_once_on_the_first_of_april(clio, owner, member):
    march_of(clio, owner, member)
    with time_machine.travel(APRIL_FIRST, tick=False):
        BookingFactory(vehicle=clio, driver=member, start=APRIL_FIRST + dt.timedelta(days=3))
        job = get_job("owner_summaries")
        assert job is not None
        first, second = run_job(job), run_job(job)
    assert (first.created, second.created) == (1, 0)
    summary = Notification.objects.get(recipient=owner.user)
    assert summary.kind == "owner_monthly_summary" and summary.in_app and summary.by_email
    assert summary.key == f"owner_monthly_summary:owner:{owner.pk}:2027-03"
    assert summary.subject == "Vos voitures en mars 2027"
    body = plain_spaces(summary.body)
    assert "Clio" in body and "2 trajets, 66 km" in body
    assert "tickets de carburant : 30,00 €" in body
    assert "reçu (carburant remboursé déduit) : -10,20 €" in body  # 19.80 - 30.00
    assert "1 incident" in body and "1 réservation à venir" in body
    assert "/testville/my-cars/?month=2027-03" in body
    assert [m.to for m in mail.outbox] == [[owner.user.email]]


def test_later_runs_in_the_month_catch_up_without_repeating(clio, owner, member):
    march_of(clio, owner, member)
    for day in (3, 17, 30):
        with time_machine.travel(APRIL_FIRST.replace(day=day), tick=False):
            scan_owner_summaries(now=APRIL_FIRST.replace(day=day))
    assert Notification.objects.filter(kind="owner_monthly_summary").count() == 1


def test_a_car_that_joined_after_the_month_waits_for_the_next(clio, owner):
    Vehicle.objects.filter(pk=clio.pk).update(created_at=dt.datetime(2027, 4, 1, 1, tzinfo=PARIS))
    with time_machine.travel(APRIL_FIRST, tick=False):
        assert scan_owner_summaries(now=APRIL_FIRST).created == 0


def test_co_owners_each_read_their_own_share(association, member):
    first, second = (
        MembershipFactory(association=association),
        MembershipFactory(association=association),
    )
    kangoo = tariffed_vehicle(association, owners=[(first, 50), (second, 50)], name="Kangoo")
    Vehicle.objects.filter(pk=kangoo.pk).update(created_at=dt.datetime(2027, 1, 1, tzinfo=PARIS))
    trip(kangoo, member, 10, 100, 5000)  # 30.00 € split 15 / 15
    with time_machine.travel(APRIL_FIRST, tick=False):
        scan_owner_summaries(now=APRIL_FIRST)
    for owner in (first, second):
        body = plain_spaces(Notification.objects.get(recipient=owner.user).body)
        assert "reçu (carburant remboursé déduit) : 15,00 €" in body


def _queries(now):
    with CaptureQueriesContext(connection) as queries:
        scan_owner_summaries(now=now)
    return len(queries)


def test_the_scan_s_queries_do_not_grow_with_the_owners(association, member):
    def owners(count, start):
        for index in range(count):
            owner = MembershipFactory(association=association)
            car = tariffed_vehicle(association, owners=[(owner, 100)], name=f"Car {start + index}")
            Vehicle.objects.filter(pk=car.pk).update(
                created_at=dt.datetime(2027, 1, 1, tzinfo=PARIS)
            )
            trip(car, member, 3 + index, 10, 1000)

    with time_machine.travel(APRIL_FIRST, tick=False):
        owners(2, 0)
        few = _queries(APRIL_FIRST)
        Notification.objects.all().delete()
        owners(6, 2)
        many = _queries(APRIL_FIRST)
    assert Notification.objects.count() == 8
    assert few == many, (few, many)
    print(f"\nowner_summaries scan: {many} queries for 2 or 8 owners")
