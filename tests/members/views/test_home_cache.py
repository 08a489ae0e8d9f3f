"""The association home page is served from the cache until something it shows changes,
however it is written: the home version that keys the cache is bumped by database triggers
on every table its sections and start checklist read (members.db, vehicles.db,
contracts.db, bookings.db); the membership, the association, the driver profile, the
language and the day are in the key; the founding kit leaves at its moment."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Incident
from contracts.models import Agreement, DocumentKind, DocumentTemplate, TemplateVersion
from members.models import Association, DriverProfile, HomeVersion, Invitation, Membership
from members.selectors import home_key
from tests.factories.contracts import AgreementFactory
from tests.factories.members import (
    DriverProfileFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    TariffFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
    owned_vehicle,
)
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleDocument, VehicleOwnership

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)
HOME = "/testville/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def version(association) -> int:
    row = HomeVersion.objects.filter(association=association).first()
    return row.version if row else 0


def home(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode().split('<main id="main"')[1].split("</main>")[0]
    return html, [query["sql"] for query in queries.captured_queries]


def step(html: str, label: str) -> str:
    """The start checklist's line of a step."""
    return html.split(label)[0].rsplit("<li", 1)[1]


# --- The triggers ---------------------------------------------------------------------------


def test_every_write_of_what_the_home_reads_bumps_its_version(association, admin, member):
    other = MembershipFactory(association__slug="elsewhere").association
    bumps = []

    def bumped(write) -> None:
        before, elsewhere = version(association), version(other)
        write()
        bumps.append(version(association) - before)
        assert version(other) == elsewhere  # another association's home is not touched

    car = VehicleFactory(association=association)
    bumped(
        lambda: Membership.objects.bulk_create(
            [Membership(association=association, user=UserFactory())]
        )
    )
    bumped(
        lambda: Membership.objects.filter(pk=member.pk).update(fee_paid_until=dt.date(2027, 1, 1))
    )
    bumped(lambda: InvitationFactory(association=association))
    bumped(lambda: Invitation.objects.filter(association=association).delete())
    bumped(lambda: Vehicle.objects.filter(pk=car.pk).update(name="Kangoo"))
    bumped(lambda: VehicleOwnershipFactory(vehicle=car, owner=member))
    bumped(lambda: VehicleOwnership.objects.filter(vehicle=car).delete())
    bumped(lambda: InsurancePolicyFactory(vehicle=car))
    bumped(lambda: InsurancePolicy.objects.filter(vehicle=car).update(is_active=False))
    bumped(lambda: VehicleDocumentFactory(vehicle=car))
    bumped(
        lambda: VehicleDocument.objects.filter(vehicle=car).update(expires_on=dt.date(2026, 12, 1))
    )
    bumped(lambda: TariffFactory(vehicle=car))
    bumped(lambda: Tariff.objects.filter(vehicle=car).delete())
    bumped(
        lambda: DocumentTemplate.objects.create(
            association=association, kind=DocumentKind.AGREEMENT
        )
    )
    template = DocumentTemplate.objects.get(association=association)
    bumped(
        lambda: TemplateVersion.objects.create(
            template=template, number=1, source="x", source_sha256="0" * 64
        )
    )
    bumped(lambda: TemplateVersion.objects.filter(template=template).delete())
    agreement_car = owned_vehicle(admin)
    bumped(lambda: AgreementFactory(vehicle=agreement_car, driver=member))
    bumped(lambda: Agreement.objects.filter(driver=member).update(status=Agreement.Status.ENDED))
    bumped(
        lambda: Incident.objects.create(
            vehicle=car, kind="dent", description="Aile", reported_by=member
        )
    )
    bumped(lambda: Incident.objects.filter(vehicle=car).update(status=Incident.Status.CLOSED))
    bumped(lambda: Incident.objects.filter(vehicle=car).delete())
    bumped(lambda: Vehicle.objects.filter(pk=car.pk).delete())
    assert all(count >= 1 for count in bumps), bumps


def test_a_car_moved_to_another_association_bumps_both_homes(association, admin):
    other = MembershipFactory(association__slug="elsewhere").association
    car = owned_vehicle(admin)
    before, elsewhere = version(association), version(other)
    Vehicle.objects.filter(pk=car.pk).update(association=other)
    assert (version(association), version(other)) == (before + 1, elsewhere + 1)


# --- The cache never shows what changed -----------------------------------------------------


def test_a_cached_admin_home_shows_requests_cars_and_checklist_changes_at_once(
    admin_client_, admin, association
):
    car = owned_vehicle(admin, name="Clio")
    first, _ = home(admin_client_)
    again, _ = home(admin_client_)
    assert again == first
    assert "waiting for an answer" not in first and "Cars that need attention" not in first

    # Behind the services' back: bulk inserts and updates, no save().
    Membership.objects.bulk_create(
        [Membership(association=association, user=UserFactory(), status="pending")]
    )
    html, _ = home(admin_client_)
    assert "One request to join is waiting for an answer." in html

    InsurancePolicy.objects.filter(vehicle=car).update(valid_until=dt.date(2026, 11, 1))
    html, _ = home(admin_client_)
    assert "Cars that need attention" in html and "Clio" in html

    adopted = "The car-sharing agreement, read and adopted"
    assert "start-checklist__step--done" not in step(html, adopted)
    template = DocumentTemplate.objects.create(association=association, kind=DocumentKind.AGREEMENT)
    TemplateVersion.objects.bulk_create(
        [TemplateVersion(template=template, number=1, source="x", source_sha256="0" * 64)]
    )
    html, _ = home(admin_client_)
    assert "start-checklist__step--done" in step(html, adopted)

    Vehicle.objects.filter(pk=car.pk).update(name="Kangoo")
    html, _ = home(admin_client_)
    assert "Kangoo" in html and "Clio" not in html


def test_a_cached_member_home_shows_incidents_profile_role_and_association_changes(
    member_client, member, association
):
    car = owned_vehicle(member, name="Clio")
    first, _ = home(member_client)
    assert "Notebook of Clio" in first and "open incident" not in first

    Incident.objects.bulk_create(
        [Incident(vehicle=car, kind="dent", description="Aile", reported_by=member)]
    )
    html, _ = home(member_client)
    assert "1 open incident" in html
    Incident.objects.filter(vehicle=car).update(status=Incident.Status.CLOSED)
    html, _ = home(member_client)
    assert "open incident" not in html

    DriverProfile.objects.filter(user=member.user).update(licence_number="")
    html, _ = home(member_client)
    assert "Your driver profile is incomplete" in html

    Association.objects.filter(pk=association.pk).update(commune="Saint-Nectaire")
    html, _ = home(member_client)
    assert "Saint-Nectaire" in html

    assert "Administration" not in html
    Membership.objects.filter(pk=member.pk).update(role=Membership.Role.ADMIN)
    html, _ = home(member_client)
    assert "Administration" in html

    VehicleOwnership.objects.filter(vehicle=car).delete()
    html, _ = home(member_client)
    assert "Notebook of Clio" not in html


def test_each_member_has_their_own_cached_home(admin_client_, member_client, admin, member):
    owned_vehicle(admin, name="Clio")
    owned_vehicle(member, name="Zoé")
    admin_html, _ = home(admin_client_)
    member_html, _ = home(member_client)
    assert "Administration" in admin_html and "Administration" not in member_html
    assert "Notebook of Clio" in admin_html and "Notebook of Clio" not in member_html
    assert "Notebook of Zoé" in member_html and "Notebook of Zoé" not in admin_html


def test_each_language_has_its_own_home(member_client):
    english, _ = home(member_client)
    french = member_client.get(HOME, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "My membership" in english and "Mon adhésion" not in english
    assert "Mon adhésion" in french and "My membership" not in french


# --- The clock ------------------------------------------------------------------------------


def test_a_cached_home_turns_with_the_association_day(admin_client_, admin, _frozen):
    car = owned_vehicle(admin, name="Clio")
    InsurancePolicy.objects.filter(vehicle=car).update(valid_until=dt.date(2026, 11, 23))
    _frozen.move_to(dt.datetime(2026, 11, 23, 23, 58, tzinfo=PARIS))
    html, _ = home(admin_client_)
    assert "Cars that need attention" not in html  # insured until tonight
    # Four minutes later, well within the cache's timeout (FRAGMENT_SECONDS).
    _frozen.move_to(dt.datetime(2026, 11, 24, 0, 2, tzinfo=PARIS))
    html, _ = home(admin_client_)
    assert "Cars that need attention" in html and "Clio" in html


def test_the_founding_kit_leaves_the_cached_home_one_year_after_the_founding(_frozen):
    from members.services.founding import FoundingData, found_association

    founder = UserFactory()
    DriverProfileFactory(user=founder)
    association = found_association(
        founder=founder,
        data=FoundingData(
            name="Autopartage neuf", commune="Orcival", postcode="63210", address="Mairie"
        ),
    )
    url = reverse("members:home", kwargs={"slug": association.slug})
    kit = reverse("contracts:founding_kit", kwargs={"slug": association.slug})
    created = association.created_at
    _frozen.move_to(created + dt.timedelta(days=365) - dt.timedelta(minutes=2))
    client = admin_client_for(founder)  # a session of that day
    assert kit in client.get(url).content.decode()
    # The same day, four minutes later: within the cache's timeout (FRAGMENT_SECONDS).
    _frozen.move_to(created + dt.timedelta(days=365, minutes=2))
    assert kit not in client.get(url).content.decode()


def admin_client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- Queries ---------------------------------------------------------------------------------


LAYOUT = ("django_session", "members_user", "members_membership", "notifications_notification")


@pytest.mark.parametrize("role", ["admin", "member"])
def test_the_cached_home_reads_its_version_only_whatever_the_data(role, admin, member):
    viewer = admin if role == "admin" else member
    client = admin_client_for(viewer.user)
    counts = []
    for cars in (1, 20):
        for index in range(Vehicle.objects.count(), cars):
            car = owned_vehicle(viewer, name=f"Car {index}")
            VehicleDocumentFactory(vehicle=car, expires_on=dt.date(2026, 1, 1))  # overdue
            Incident.objects.create(
                vehicle=car, kind="dent", description="Aile", reported_by=member
            )
        home(client)  # fills the cache
        html, queries = home(client)
        assert "Cars that need attention" in html
        counts.append(len(queries))
        own = [
            sql
            for sql in queries  # the layout's queries are prepared on PostgreSQL (EXECUTE …)
            if not sql.startswith("EXECUTE") and not any(f'"{table}"' in sql for table in LAYOUT)
        ]
        assert len(own) == 1 and "members_homeversion" in own[0]  # the home key, nothing else
    # The session, the person with their memberships and unread count (carshare.auth), and
    # the home key.
    assert counts == [3, 3]


def test_the_home_key_reads_the_profile_as_is_complete_does(member):
    profile = DriverProfile.objects.get(user=member.user)
    cases = [
        {},
        {"licence_number": ""},
        {"birth_date": None},
        {"licence_issued_on": None},
    ]
    answers = []
    for changes in cases:
        DriverProfile.objects.filter(pk=profile.pk).update(
            birth_date=dt.date(1980, 5, 17),
            licence_number="12AB00000001",
            licence_issued_on=dt.date(2000, 6, 1),
        )
        DriverProfile.objects.filter(pk=profile.pk).update(**changes)
        profile.refresh_from_db()
        answers.append(home_key(member).profile_complete)
        assert answers[-1] is profile.is_complete
    assert answers == [True, False, False, False]
    DriverProfile.objects.filter(pk=profile.pk).delete()
    assert home_key(member).profile_complete is False
