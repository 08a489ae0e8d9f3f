"""API input and output serializers of bookings: one input and one output per endpoint."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from bookings.models import MAX_RECEIPT_AMOUNT, Booking, FuelReceipt, WaitingEntry
from bookings.slots import EARLIEST, LATEST
from core.bounds import MAX_ODOMETER_KM


class BoundedDateTimeField(serializers.DateTimeField):
    """An aware datetime between 2000 and 2099 (naive ones are in the association's zone)."""

    def to_internal_value(self, value: Any) -> Any:
        moment = super().to_internal_value(value)
        if not EARLIEST <= moment < LATEST:
            raise serializers.ValidationError("Give a date between the years 2000 and 2099.")
        return moment


class BookingErrorOutput(serializers.Serializer[Any]):
    """A refusal: a stable code (an eligibility reason, `overlap`, …) and a sentence."""

    code = serializers.CharField(required=False)
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    deductible = serializers.CharField(required=False, allow_null=True)
    field = serializers.CharField(required=False)
    gap_km = serializers.IntegerField(required=False)


class BookingAvailabilityInput(serializers.Serializer[Any]):
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    seats = serializers.IntegerField(required=False, min_value=1, max_value=9)
    electric = serializers.BooleanField(required=False, default=False)
    gearbox = serializers.ChoiceField(choices=["manual", "automatic"], required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs


class FreeVehicleOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    make = serializers.CharField()
    model = serializers.CharField()
    seats = serializers.IntegerField()
    energy = serializers.CharField()
    gearbox = serializers.CharField()
    parking_place = serializers.CharField()


class BookingListInput(serializers.Serializer[Any]):
    start = BoundedDateTimeField(required=False)
    end = BoundedDateTimeField(required=False)
    vehicle = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**6, default=0)


class BookingInput(serializers.Serializer[Any]):
    vehicle = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    estimated_km = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000
    )
    driver = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Admins: book for a member."
    )
    accept_higher_deductible = serializers.BooleanField(required=False, default=False)


class BookingChangeInput(serializers.Serializer[Any]):
    """A change of a booking: any of its start, end and vehicle (the others stay)."""

    start = BoundedDateTimeField(required=False)
    end = BoundedDateTimeField(required=False)
    vehicle = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class BookingOutput(serializers.ModelSerializer[Booking]):
    vehicle_name = serializers.CharField(source="vehicle.name")
    driver_name = serializers.CharField(source="driver.user.display_name")

    class Meta:
        model = Booking
        fields = [
            "id",
            "vehicle",
            "vehicle_name",
            "driver",
            "driver_name",
            "start",
            "end",
            "status",
            "note",
            "estimated_km",
            "accepted_deductible",
            "refusal_reason",
            "cancellation_reason",
            "previous_late_until",
        ]


class BookingSeriesInput(serializers.Serializer[Any]):
    """A booking repeated `count` times (26 at most), every day or every week."""

    vehicle = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    every = serializers.ChoiceField(choices=["day", "week"])
    count = serializers.IntegerField(min_value=1, max_value=26)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SeriesRefusalOutput(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    code = serializers.CharField()
    detail = serializers.CharField(source="message")


class BookingSeriesOutput(serializers.Serializer[Any]):
    series = serializers.IntegerField(source="series.pk")
    created = BookingOutput(many=True)
    refused = SeriesRefusalOutput(many=True)


class SeriesCancelOutput(serializers.Serializer[Any]):
    """The occurrences a "cancel the rest of the series" cancelled."""

    cancelled = BookingOutput(many=True)


class WaitingInput(serializers.Serializer[Any]):
    """A taken slot of a car to wait for."""

    vehicle = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()


class WaitingOutput(serializers.ModelSerializer[WaitingEntry]):
    vehicle_name = serializers.CharField(source="vehicle.name")

    class Meta:
        model = WaitingEntry
        fields = ["id", "vehicle", "vehicle_name", "start", "end", "created_at", "notified_at"]


class BookingPageOutput(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    results = BookingOutput(many=True)


class DesignationInput(serializers.Serializer[Any]):
    """The fine's notice, as the driver-designation letter quotes it."""

    moment = BoundedDateTimeField()
    notice_number = serializers.CharField(max_length=40)
    place = serializers.CharField(max_length=200)
    offence = serializers.CharField(max_length=200)


class BookingReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BookingCheckOutInput(serializers.Serializer[Any]):
    odometer = serializers.IntegerField(min_value=0, max_value=MAX_ODOMETER_KM)
    fuel_level = serializers.IntegerField(min_value=0, max_value=100)
    condition = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    gap_explanation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FuelReceiptInput(serializers.Serializer[Any]):
    amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_RECEIPT_AMOUNT
    )
    date = serializers.DateField()


class BookingCheckInInput(serializers.Serializer[Any]):
    odometer = serializers.IntegerField(min_value=0, max_value=MAX_ODOMETER_KM)
    fuel_level = serializers.IntegerField(min_value=0, max_value=100)
    fuel_receipts = serializers.ListField(child=FuelReceiptInput(), required=False, max_length=10)
    damage = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    parked_at = serializers.CharField(required=False, allow_blank=True, max_length=255)


class FuelReceiptOutput(serializers.Serializer[Any]):
    """A receipt and where it stands: `approved` (refunded when the tariff includes fuel),
    `pending` (waits for an owner of the car or an admin; touches no balance), `refused`."""

    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=FuelReceipt.Status.choices)
    has_photo = serializers.SerializerMethodField()
    refusal_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_has_photo(self, receipt: FuelReceipt) -> bool:
        return bool(receipt.photo)


class ReceiptDecisionInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BookingTripOutput(serializers.Serializer[Any]):
    booking = serializers.IntegerField(source="booking_id")
    odometer_out = serializers.IntegerField()
    odometer_in = serializers.IntegerField(allow_null=True)
    fuel_level_out = serializers.IntegerField()
    fuel_level_in = serializers.IntegerField(allow_null=True)
    km = serializers.IntegerField(allow_null=True)
    odometer_gap_km = serializers.IntegerField(allow_null=True)
    implausible_km = serializers.BooleanField()
    checked_out_at = serializers.DateTimeField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    fuel_receipts = FuelReceiptOutput(source="fuel_receipts.all", many=True)


class AnnouncementInput(serializers.Serializer[Any]):
    subject = serializers.CharField(max_length=150)
    body = serializers.CharField(max_length=5000)
    audience = serializers.CharField(
        max_length=40, help_text='"all", "owners" or "vehicle:<id>" (the drivers of one car).'
    )


class AnnouncementOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    body = serializers.CharField()
    audience = serializers.CharField(source="audience_code")
    recipients = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
