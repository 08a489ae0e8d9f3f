from __future__ import annotations

import datetime as dt
import hashlib

import factory

from contracts.context import agreement_terms
from contracts.models import Agreement
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import VehicleFactory
from vehicles.selectors import active_policy, tariff_on

# A tiny but well-formed PDF, for rows whose rendering is not what the test is about.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def terms_of(vehicle, day=dt.date(2025, 1, 15)):
    return agreement_terms(active_policy(vehicle), tariff_on(vehicle, day), vehicle)


class AgreementFactory(factory.django.DjangoModelFactory):
    """A signed agreement stored with a tiny PDF; its terms are the vehicle's current ones."""

    class Meta:
        model = Agreement

    vehicle = factory.SubFactory(VehicleFactory)
    association = factory.LazyAttribute(lambda o: o.vehicle.association)
    driver = factory.LazyAttribute(lambda o: MembershipFactory(association=o.vehicle.association))
    status = Agreement.Status.SIGNED
    template_label = "default"
    template_sha256 = "0" * 64
    terms = factory.LazyAttribute(lambda o: terms_of(o.vehicle))
    pdf = factory.django.FileField(data=TINY_PDF, filename="agreement.pdf")
    pdf_sha256 = hashlib.sha256(TINY_PDF).hexdigest()
    page_count = 1
    generated_at = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
    signed_on = dt.date(2025, 1, 15)
