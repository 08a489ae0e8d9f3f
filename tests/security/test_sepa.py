"""Hostile callers of the IBANs and the SEPA file: a member, another association's admin,
a stranger with a leaked token. 403/404, no file, no data change; nobody sets another
person's IBAN, nor reads one back in full."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from core.errors import DomainError, ForbiddenError
from ledger.models import LedgerTransaction
from ledger.services import member_account
from ledger.services.expenses import post_association_expense
from ledger.services.sepa import credit_transfer_file
from members.models import AuditEntry, Membership
from members.services.associations import update_association
from tests.factories.ledger import platform
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
IBAN = "FR7630006000011234567890189"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def foreign_admin(other_association):
    return MembershipFactory(association=other_association, role=Membership.Role.ADMIN)


@pytest.fixture
def owed(association, member):
    """The association owes the member 80 € for October; both recorded an IBAN."""
    association.iban = "FR7630001007941234567890185"
    association.save(update_fields=["iban"])
    member.user.iban = IBAN
    member.user.save(update_fields=["iban"])
    post_association_expense(
        association=association,
        category=LedgerTransaction.Category.OTHER,
        amount=Decimal("80"),
        incurred_on=dt.date(2026, 10, 5),
        paid_by=member_account(member),
        description="avance",
        actor=platform(association),
    )
    return member


def client_of(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def test_a_member_cannot_download_the_file(owed):
    response = client_of(owed).get("/testville/ledger/settlement/sepa/?period=2026-10")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="ledger.sepa_file_exported").exists()


def test_another_associations_admin_gets_404_and_their_own_file_holds_nothing_of_ours(
    owed, foreign_admin
):
    client = client_of(foreign_admin)
    assert client.get("/testville/ledger/settlement/sepa/?period=2026-10").status_code == 404
    # Through their own association: nothing owed there, no file, never our IBANs.
    response = client.get("/ailleurs/ledger/settlement/sepa/?period=2026-10", follow=True)
    assert IBAN.encode() not in response.content
    assert not AuditEntry.objects.filter(action="ledger.sepa_file_exported").exists()


def test_the_service_refuses_non_admins_and_former_admins(owed, admin, foreign_admin):
    with pytest.raises(ForbiddenError):
        credit_transfer_file(actor=owed, key="2026-10", execution_date=dt.date(2026, 11, 26))
    # Another association's admin acts on their own association only (nothing owed there).
    with pytest.raises(DomainError) as refused:
        credit_transfer_file(
            actor=foreign_admin, key="2026-10", execution_date=dt.date(2026, 11, 26)
        )
    assert refused.value.code == "association_iban_missing"
    admin.status = Membership.Status.LEFT
    admin.save(update_fields=["status"])
    with pytest.raises(ForbiddenError):
        credit_transfer_file(actor=admin, key="2026-10", execution_date=dt.date(2026, 11, 26))


def test_a_member_or_a_foreign_admin_cannot_change_the_associations_iban(
    association, owed, foreign_admin
):
    with pytest.raises(ForbiddenError):
        update_association(actor=owed, changes={"iban": IBAN})
    # Another association's admin changes their own association only.
    theirs = update_association(actor=foreign_admin, changes={"iban": IBAN})
    assert theirs.pk != association.pk
    assert client_of(foreign_admin).post("/testville/settings/", {"iban": IBAN}).status_code == 404
    response = client_of(owed).post("/testville/settings/", {"iban": IBAN})
    assert response.status_code == 403
    association.refresh_from_db()
    assert association.iban == "FR7630001007941234567890185"


def test_the_api_never_reads_an_iban_back_in_full_nor_sets_another_persons(owed, admin):
    client = APIClient()
    client.force_authenticate(admin.user)
    # /api/v1/me/ is the caller only: no id to aim at someone else.
    client.patch(
        "/api/v1/me/", {"iban": "DE89370400440532013000", "id": owed.user.pk}, format="json"
    )
    owed.user.refresh_from_db()
    assert owed.user.iban == IBAN
    member_api = APIClient()
    member_api.force_authenticate(owed.user)
    assert IBAN not in member_api.get("/api/v1/me/").content.decode()
    # Nor does the association's member list.
    listing = client.get("/api/v1/associations/testville/members/").content.decode()
    assert IBAN not in listing and "iban" not in listing


def test_a_leaked_token_of_a_stranger_reaches_nothing(owed, outsider):
    client = APIClient()
    client.force_authenticate(outsider.user)
    assert client.get("/testville/ledger/settlement/sepa/?period=2026-10").status_code in {
        302,
        404,
    }
    response = client.patch("/api/v1/me/", {"iban": "not an iban"}, format="json")
    assert response.status_code == 400
    outsider.user.refresh_from_db()
    assert outsider.user.iban == ""
