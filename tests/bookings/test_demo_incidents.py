import pytest
from django.core.management import call_command

from bookings.models import Incident, Unavailability
from ledger.models import LedgerTransaction
from members.models import Association
from tests.ledger.helpers import assert_ledger_consistent

pytestmark = pytest.mark.django_db


def test_the_demo_has_camille_s_mornings_and_two_incidents_with_photos(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    clio = Association.objects.get(slug="villerouge").vehicles.get(name="Clio")
    mornings = Unavailability.objects.get(vehicle=clio)
    assert mornings.created_by.user.email == "camille@villerouge.example"
    assert mornings.weekdays == 0b0011111 and mornings.repeat_until is None
    settled = Incident.objects.get(vehicle=clio, status=Incident.Status.SETTLED)
    assert settled.responsible.user.email == "bruno@villerouge.example"
    assert settled.charged_amount <= settled.deductible_applied
    assert settled.photos.count() == 2
    assert LedgerTransaction.objects.filter(reference=settled.reference).count() == 1
    opened = Incident.objects.get(vehicle=clio, status__in=Incident.OPEN_STATUSES)
    assert opened.photos.count() == 1
    assert_ledger_consistent(clio.association)
