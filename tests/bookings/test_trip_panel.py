"""The trip panel of a booking says "Retour" and "Garée à": the same English words mean
something else in the ledger ("Rendre" a deposit), so the trip's carry a context."""

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import Booking
from tests.factories.bookings import BookingFactory, TripFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db


def test_the_returned_trip_reads_retour_and_garee_a(member_client, admin, member):
    clio = owned_vehicle(admin, name="Clio")
    booking = BookingFactory(vehicle=clio, driver=member, status=Booking.Status.COMPLETED)
    TripFactory(booking=booking, parked_at="Place de la mairie")
    response = member_client.get(
        reverse("bookings:detail", kwargs={"slug": "testville", "pk": booking.pk})
    )
    html = response.content.decode()
    assert "<dt>Retour</dt>" in html
    assert "<dt>Garée à</dt><dd>Place de la mairie</dd>" in html
    with translation.override("fr"):  # the ledger's button keeps its own word
        assert translation.gettext("Return") == "Rendre"
