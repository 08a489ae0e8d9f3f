"""The booking page's estimate says when it leaves the km out: with a per-km tariff and no
km announced it is 0,00 €, which a driver would otherwise read as a free trip."""

import pytest
from django.urls import reverse

from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("estimated_km", "label", "amount"),
    [(None, "Coût estimé, hors kilomètres", "0,00\u00a0€"), (100, "Coût estimé", "30,00\u00a0€")],
)
def test_the_estimate_says_whether_it_counts_the_km(
    member_client, admin, member, estimated_km, label, amount
):
    clio = shared_vehicle(admin, member, name="Clio")  # 0,30 €/km, no hourly price
    booking = BookingFactory(vehicle=clio, driver=member, estimated_km=estimated_km)
    response = member_client.get(
        reverse("bookings:detail", kwargs={"slug": "testville", "pk": booking.pk})
    )
    assert f"<dt>{label}</dt><dd>{amount}</dd>" in response.content.decode()
