"""The booking tables of "My bookings" scroll sideways on a phone: each is a named region
that takes the keyboard focus (axe-core rule scrollable-region-focusable)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_booking_table_is_a_focusable_named_region(member_client):
    response = member_client.get(reverse("bookings:mine", kwargs={"slug": "testville"}))
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', response.content.decode())
    assert wraps == [
        f'<div class="table-wrap" role="region" aria-label="{caption}" tabindex="0">'
        for caption in ("À venir", "Passées et annulées")
    ]
