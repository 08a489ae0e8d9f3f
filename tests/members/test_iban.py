"""Members record the IBAN they are paid back on (profile page and /api/v1/me/), checked
with schwifty, stored compact, shown masked; the association records its own IBAN/BIC."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.errors import DomainError
from core.iban import clean_bic, clean_iban, mask_iban
from members.models import AuditEntry
from members.services.associations import update_association
from members.services.banking import update_own_iban

pytestmark = pytest.mark.django_db

VALID = "FR76 3000 6000 0112 3456 7890 189"
COMPACT = "FR7630006000011234567890189"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (VALID, COMPACT),
        ("fr7630006000011234567890189", COMPACT),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("BE68539007547034", "BE68539007547034"),
        ("", ""),
    ],
)
def test_valid_ibans_are_stored_compact(typed, stored):
    assert clean_iban(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("FR76 3000 6000 0112 3456 7890 188", "invalid_iban"),  # checksum
        ("FR76 3000", "invalid_iban"),  # too short
        ("XX00 1234 5678", "invalid_iban"),  # no such country
        ("FR76-3000-6000-0112-3456-7890-189", "invalid_iban"),
        ("BR1800360305000010009795493C1", "iban_outside_sepa"),  # valid, but not SEPA
    ],
)
def test_invalid_ibans_are_refused_with_a_code(member, typed, code):
    with pytest.raises(DomainError) as refused:
        update_own_iban(user=member.user, iban=typed)
    assert refused.value.code == code
    member.user.refresh_from_db()
    assert member.user.iban == ""


def test_the_iban_is_masked_everywhere_it_is_shown():
    assert mask_iban(COMPACT) == "FR76 •••• •••• •••• •••• •••• 189"
    assert mask_iban("") == ""


def test_the_profile_page_records_it_and_shows_it_masked(member):
    client = Client()
    client.force_login(member.user)
    data = {
        "first_name": "Bruno",
        "last_name": "Lefèvre",
        "phone": "",
        "street": "",
        "postcode": "",
        "town": "",
        "language": "fr",
        "iban": VALID,
    }
    assert client.post("/me/", data).status_code == 302
    member.user.refresh_from_db()
    assert member.user.iban == COMPACT
    page = client.get("/me/").content.decode()
    assert "FR76 •••• •••• •••• •••• •••• 189" in page
    assert COMPACT not in page and VALID not in page
    # Left empty, the IBAN stays; the box deletes it.
    assert client.post("/me/", {**data, "iban": ""}).status_code == 302
    member.user.refresh_from_db()
    assert member.user.iban == COMPACT
    assert client.post("/me/", {**data, "iban": "", "remove_iban": "on"}).status_code == 302
    member.user.refresh_from_db()
    assert member.user.iban == ""
    trail = AuditEntry.objects.filter(action="user.iban_updated").order_by("pk")
    assert [entry.data for entry in trail] == [{"recorded": True}, {"recorded": False}]
    assert COMPACT not in str([entry.data for entry in trail])


def test_a_wrong_iban_on_the_profile_page_is_a_french_error_and_changes_nothing(member):
    client = Client()
    client.force_login(member.user)
    before = member.user.first_name
    response = client.post(
        "/me/",
        {"first_name": "Autre", "language": "fr", "iban": "FR76 3000 6000 0112 3456 7890 188"},
    )
    assert response.status_code == 400
    assert "Cet IBAN n&#x27;est pas valide" in response.content.decode()
    member.user.refresh_from_db()
    assert (member.user.first_name, member.user.iban) == (before, "")


def test_the_api_reads_it_masked_and_patches_it(member):
    client = APIClient()
    client.force_authenticate(member.user)
    assert client.get("/api/v1/me/").json()["iban"] == ""
    response = client.patch("/api/v1/me/", {"iban": VALID}, format="json")
    assert response.status_code == 200
    assert response.json()["iban"] == "FR76 •••• •••• •••• •••• •••• 189"
    member.user.refresh_from_db()
    assert member.user.iban == COMPACT
    assert client.patch("/api/v1/me/", {"iban": ""}, format="json").json()["iban"] == ""


@pytest.mark.parametrize("bad", ["FR7630006000011234567890188", "BR1800360305000010009795493C1"])
def test_the_api_refuses_a_wrong_iban_with_400_and_changes_nothing(member, bad):
    client = APIClient()
    client.force_authenticate(member.user)
    response = client.patch("/api/v1/me/", {"iban": bad, "first_name": "Autre"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_iban", "iban_outside_sepa"}
    member.user.refresh_from_db()
    assert member.user.iban == "" and member.user.first_name != "Autre"


def test_the_association_records_its_iban_and_bic(admin, association):
    update_association(actor=admin, changes={"iban": "FR76 3000 1007 9412 3456 7890 185"})
    association.refresh_from_db()
    assert association.iban == "FR7630001007941234567890185"
    client = Client()
    client.force_login(admin.user)
    response = client.post(
        "/testville/settings/",
        {**_settings(association), "iban": "FR76 3000 1007 9412 3456 7890 184"},
    )
    assert response.status_code == 400
    assert "Cet IBAN n&#x27;est pas valide" in response.content.decode()
    with pytest.raises(DomainError) as refused:
        update_association(actor=admin, changes={"bic": "B!"})
    assert refused.value.code == "invalid_bic"
    assert clean_bic(" bdfe frpp ") == "BDFEFRPP"


def test_a_member_cannot_set_the_associations_iban(member, association):
    with pytest.raises(DomainError):
        update_association(actor=member, changes={"iban": COMPACT})
    association.refresh_from_db()
    assert association.iban == ""


def _settings(association):
    from django.forms.models import model_to_dict

    from members.services.associations import EDITABLE_FIELDS

    values = model_to_dict(association, fields=EDITABLE_FIELDS)
    return {
        name: ("on" if value is True else "" if value in (None, False) else value)
        for name, value in values.items()
    }


def test_a_deleted_account_keeps_no_iban(member):
    from members.services.accounts import delete_account

    update_own_iban(user=member.user, iban=VALID)
    delete_account(user=member.user)
    member.user.refresh_from_db()
    assert member.user.iban == ""
