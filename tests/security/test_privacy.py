"""Privacy: an association's admins see driver data and licence scans of pending and active
memberships only; refused and departed people's data are purged after the retention period
(docs/PRIVACY.md); a member can export their data and delete their account."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from contracts.context import person_context
from members.models import AuditEntry, DriverProfile, Household, Invitation, Membership, User
from members.services.memberships import refuse_join_request, remove_member
from tests.factories.ledger import platform
from tests.factories.members import (
    DriverProfileFactory,
    InvitationFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

LICENCE = "LICENCE-PRIVEE-77"


def _person(association, status, **membership):
    person = MembershipFactory(association=association, status=status, **membership)
    profile = DriverProfileFactory(user=person.user, licence_number=LICENCE)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    return person


def purge_personal_data(*, today):
    from members.services.retention import purge_personal_data as purge

    return purge(today=today)


def _url(name, membership):
    kwargs = {"slug": membership.association.slug, "pk": membership.pk}
    return reverse(f"members:{name}", kwargs=kwargs)


@pytest.mark.parametrize("status", ["left", "refused", "suspended"])
def test_admins_no_longer_see_the_driver_data_of_a_former_member(admin_client_, admin, status):
    former = _person(admin.association, status, left_on=dt.date(2026, 1, 5))
    detail = admin_client_.get(_url("detail", former))
    assert detail.status_code == 200
    assert LICENCE not in detail.text
    assert _url("licence_scan", former) not in detail.text
    assert admin_client_.get(_url("licence_scan", former)).status_code == 404
    slug = admin.association.slug
    listing = admin_client_.get(reverse("members:list", kwargs={"slug": slug}) + "?status=all")
    assert LICENCE not in listing.text
    young = admin_client_.get(
        reverse("members:list", kwargs={"slug": slug}) + "?status=all&missing_licence=on"
    )
    assert former.user.email not in young.text
    csv = admin_client_.get(reverse("members:export_csv", kwargs={"slug": slug}))
    assert former.user.email in csv.content.decode("utf-8-sig")  # the row stays (contact)
    assert LICENCE not in csv.content.decode("utf-8-sig")
    api = APIClient()
    api.force_authenticate(admin.user)
    rows = api.get(f"/api/v1/associations/{slug}/members/").json()
    [row] = [r for r in rows if r["id"] == former.pk]
    assert row["driver_profile"] is None
    export = admin_client_.get(reverse("members:export", kwargs={"slug": slug}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    assert not any(
        LICENCE in archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
    )
    assert person_context(former)["licence"]["number"] == ""  # documents print none


@pytest.mark.parametrize("status", ["pending", "active"])
def test_admins_see_the_driver_data_of_pending_and_active_members(admin_client_, admin, status):
    person = _person(admin.association, status)
    assert LICENCE in admin_client_.get(_url("detail", person)).text
    assert admin_client_.get(_url("licence_scan", person)).status_code == 200


def test_the_driver_designation_letter_still_names_a_driver_who_left(admin):
    # The law wants the driver of a past trip named; the retention period covers it.
    former = _person(admin.association, "left", left_on=dt.date(2026, 1, 5))
    assert person_context(former, designation=True)["licence"]["number"] == LICENCE


def test_another_associations_admin_sees_nothing(outsider_client, admin, member):
    assert outsider_client.get(_url("detail", member)).status_code == 404
    assert outsider_client.get(_url("licence_scan", member)).status_code == 404


@pytest.mark.parametrize("change", ["removed", "suspended"])
def test_an_admin_removed_or_suspended_keeps_no_access_to_members_data(admin, member, change):
    """An ex-admin still holds a session and an API token: neither reads anything more."""
    from knox.models import AuthToken

    from members.services.memberships import suspend_member

    former = MembershipFactory(association=admin.association, role="admin")
    session = _client(former)
    _instance, key = AuthToken.objects.create(former.user)
    slug = admin.association.slug
    action = remove_member if change == "removed" else suspend_member
    action(actor=admin, membership=former)
    assert session.get(_url("detail", member)).status_code == 404
    assert session.get(_url("licence_scan", member)).status_code == 404
    for name in ("list", "export_csv", "export"):
        assert session.get(reverse(f"members:{name}", kwargs={"slug": slug})).status_code == 404
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"/api/v1/associations/{slug}/members/").status_code == 404
    assert api.get("/api/v1/me/").status_code == 200  # the token lives: the membership decides


def _client(membership):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    return client


# The purge after the retention period


@pytest.fixture
def departures(admin):
    """A member removed and an applicant refused on 10 January 2025; a member who left
    another association then but is still active here."""
    association = admin.association
    with time_machine.travel(dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        household = Household.objects.create(association=association, label="Foyer Roux")
        gone = _person(association, "active", household=household)
        partner = MembershipFactory(association=association, household=household)
        remove_member(actor=admin, membership=gone)
        applicant = _person(association, "pending", request_message="J'habite rue du Lavoir")
        refuse_join_request(actor=admin, membership=applicant, reason="Hors commune")
        elsewhere = MembershipFactory(association=association)
        DriverProfileFactory(user=elsewhere.user, licence_number="STILL-HERE")
        MembershipFactory(
            user=elsewhere.user, status="left", left_on=dt.date(2025, 1, 10), joined_on=None
        )
    return gone, applicant, elsewhere, partner


def test_nothing_is_purged_before_the_retention_period(departures):
    gone, applicant, _elsewhere, _partner = departures
    counts = purge_personal_data(today=dt.date(2026, 1, 10))
    assert counts.total == 0
    assert DriverProfile.objects.filter(user=gone.user).exists()
    assert Membership.objects.get(pk=applicant.pk).refusal_reason == "Hors commune"


def test_personal_data_are_purged_after_the_retention_period(admin_client_, admin, departures):
    gone, applicant, elsewhere, partner = departures
    scan = DriverProfile.objects.get(user=gone.user).licence_scan
    storage, name = scan.storage, scan.name  # local folder or object storage alike
    assert storage.exists(name)
    assert settings.PERSONAL_DATA_RETENTION_MONTHS == 12
    with TestCase.captureOnCommitCallbacks(execute=True):  # files go after commit
        counts = purge_personal_data(today=dt.date(2026, 1, 11))
    assert (counts.memberships, counts.driver_profiles, counts.licence_scans) == (3, 2, 2)
    assert not DriverProfile.objects.filter(user__in=[gone.user, applicant.user]).exists()
    assert not storage.exists(name)
    assert DriverProfile.objects.filter(user=elsewhere.user).exists()  # active here
    refused = Membership.objects.get(pk=applicant.pk)
    assert (refused.refusal_reason, refused.request_message) == ("", "")
    assert Membership.objects.get(pk=gone.pk).household is None
    assert Membership.objects.get(pk=partner.pk).household is None  # alone: no household
    assert not Household.objects.exists()
    # The books keep the name; the association's member pages no longer show the person.
    assert User.objects.get(pk=gone.user.pk).last_name == gone.user.last_name
    slug = admin.association.slug
    for former in (gone, applicant):
        assert admin_client_.get(_url("detail", former)).status_code == 404
        form = reverse("contracts:membership_form", kwargs={"slug": slug, "pk": former.pk})
        assert admin_client_.get(form).status_code == 404
    listing = admin_client_.get(reverse("members:list", kwargs={"slug": slug}) + "?status=all")
    assert gone.user.email not in listing.text and applicant.user.email not in listing.text
    assert AuditEntry.objects.filter(action="membership.personal_data_purged").exists()
    assert purge_personal_data(today=dt.date(2026, 1, 12)).total == 0  # idempotent


def test_the_purge_runs_as_a_registered_nightly_job(departures):
    from carshare.celery import app
    from notifications.registry import get_job

    assert get_job("personal_data") is not None
    assert app.conf.beat_schedule["personal_data"]["args"] == ("personal_data",)
    gone = departures[0]
    with time_machine.travel(dt.datetime(2026, 2, 1, 3, tzinfo=dt.UTC), tick=False):
        call_command("run_scans", "personal_data", stdout=io.StringIO())
    assert not DriverProfile.objects.filter(user=gone.user).exists()


def test_what_an_import_typed_is_forgotten_when_the_invitation_expires(admin):
    invitation = InvitationFactory(association=admin.association, prefill={"licence_number": "X"})
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        expires_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
    )
    purge_personal_data(today=dt.date(2025, 2, 1))
    assert Invitation.objects.get(pk=invitation.pk).prefill == {}
    purge_personal_data(today=dt.date(2026, 1, 16))  # closed for longer than the period
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_privacy_doc_states_the_retention_period_of_the_settings():
    text = (Path(settings.BASE_DIR) / "docs" / "PRIVACY.md").read_text()
    months = settings.PERSONAL_DATA_RETENTION_MONTHS
    assert re.search(rf"\b{months} months\b", text)
    assert "PERSONAL_DATA_RETENTION_MONTHS" in text


# The member's own rights: export (art. 15, 20) and deletion (art. 17)


def _charge_fee(member, amount="20"):
    from decimal import Decimal

    from ledger.services import charge_membership_fee

    charge_membership_fee(
        membership=member,
        label="2026",
        charged_on=dt.date(2026, 1, 1),
        actor=platform(member),
        amount=Decimal(amount),
    )


def test_a_member_exports_their_own_data_with_trips_and_entries(member_client, member):

    from tests.factories.bookings import TripFactory
    from tests.factories.vehicles import VehicleFactory

    vehicle = VehicleFactory(association=member.association, plate="GH-123-JK")
    TripFactory(booking__vehicle=vehicle, booking__driver=member, odometer_in=10_077)
    _charge_fee(member)
    response = member_client.get(reverse("account:export"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "members/driver_profile.json" in archive.namelist()
    bookings = archive.read("bookings/my_bookings.csv").decode("utf-8-sig")
    assert "GH-123-JK" in bookings and "10077" in bookings
    assert "-20.00" in archive.read("ledger/my_entries.csv").decode("utf-8-sig")


def test_deleting_an_account_keeps_the_name_for_the_books_only(member_client, member):
    response = member_client.post(reverse("account:delete"), {"password": "demo-carshare"})
    assert response.status_code == 302, response.content
    user = User.objects.get(pk=member.user.pk)
    assert user.email.endswith("@invalid") and user.phone == ""
    assert user.last_name  # the association's books name the member for ten years
    assert not DriverProfile.objects.filter(user=user).exists()
    assert Membership.objects.get(pk=member.pk).personal_data_purged_on is not None


def test_the_name_of_a_deleted_account_goes_ten_years_after_the_departure(member):
    from members.services.accounts import delete_account

    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        delete_account(user=member.user)
    assert purge_personal_data(today=dt.date(2035, 2, 28)).names == 0
    assert purge_personal_data(today=dt.date(2035, 3, 2)).names == 1
    assert User.objects.get(pk=member.user.pk).last_name == ""


def test_an_account_is_not_deleted_while_money_is_owed(member):
    from decimal import Decimal

    from core.errors import DomainError
    from ledger.services import record_payment
    from ledger.services.accounts import fund_account, member_account
    from members.services.accounts import delete_account

    _charge_fee(member)
    with pytest.raises(DomainError) as refused:
        delete_account(user=member.user)
    assert refused.value.code == "deletion_refused"
    assert "20,00" in str(refused.value.message)
    assert User.objects.get(pk=member.user.pk).is_active
    record_payment(
        payer=member_account(member),
        payee=fund_account(member.association),
        amount=Decimal("20"),
        method="cash",
        paid_on=dt.date(2026, 1, 2),
        note="",
        actor=platform(member_account(member)),
    )
    delete_account(user=member.user)
    assert not User.objects.get(pk=member.user.pk).is_active


@pytest.mark.parametrize("status", ["in_progress", "confirmed"])
def test_an_account_is_not_deleted_while_a_booking_is_under_way_or_to_come(
    member_client, member, status
):
    from bookings.models import Booking
    from tests.factories.bookings import BookingFactory
    from tests.factories.vehicles import VehicleFactory

    # A trip that should have ended long ago but was never checked in; a booking to come.
    year = 2020 if status == Booking.Status.IN_PROGRESS else 2099
    BookingFactory(
        vehicle=VehicleFactory(association=member.association),
        driver=member,
        status=status,
        start=dt.datetime(year, 1, 1, 9, tzinfo=dt.UTC),
    )
    response = member_client.post(
        reverse("account:delete"), {"password": "demo-carshare"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 409
    assert "ne peut pas encore être supprimé" in response.text
    assert User.objects.get(pk=member.user.pk).is_active


@pytest.mark.parametrize("people", [3, 30])
def test_the_purge_makes_the_same_number_of_queries_for_3_or_30_people(admin, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(people):
        _person(admin.association, "left", left_on=dt.date(2025, 1, 10))
    with CaptureQueriesContext(connection) as queries:
        counts = purge_personal_data(today=dt.date(2026, 1, 11))
    assert (counts.memberships, counts.driver_profiles) == (people, people)
    assert len(queries) == PURGE_QUERIES, [q["sql"][:70] for q in queries]


# One batch (the due ids, the associations then the rows locked, their update, the audit
# entry, the driver profiles' scans read, the profiles deleted) with its savepoint pair; the
# next, empty, list of ids; expired invitations' details, closed invitations, deleted
# accounts' names.
PURGE_QUERIES = 13
