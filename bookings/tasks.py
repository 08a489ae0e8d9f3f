"""Background work of bookings: thin tasks that take ids."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bookings.models import Booking


@shared_task(name="bookings.warn_next_driver_of_late_return")
def warn_next_driver_of_late_return(booking_id: int) -> None:
    """E-mail the driver of `booking_id` that the car will be back late, in their language."""
    booking = (
        Booking.objects.select_related("driver__user", "vehicle__association")
        .filter(pk=booking_id, previous_late_until__isnull=False)
        .first()
    )
    if booking is None:
        return
    user = booking.driver.user
    with translation.override(user.language), timezone.override(booking.vehicle.association.tz):
        context = {"booking": booking, "site_url": settings.SITE_URL}
        subject = render_to_string("bookings/email/late_return_subject.txt", context).strip()
        body = render_to_string("bookings/email/late_return_body.txt", context)
    send_mail(subject, body, None, [user.email])
