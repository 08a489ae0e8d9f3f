import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.errors import DomainError
from members.models import AuditEntry, Invitation, Membership, User
from members.services.imports import import_members, preview_member_import
from members.services.invitations import accept_invitation, accept_invitation_with_new_account
from tests.factories.members import DriverProfileFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "courriel;prénom;nom;téléphone;rôle;date de naissance;numéro de permis;date du permis;AAC"

# Queries of an import, whatever its size: the association lock, 1 check in the preview,
# then open invitations withdrawn, new ones inserted, read back, the invitees' languages,
# the outbox (keys already queued, its savepoint pair, the insert, the ids created), and
# the audit entry; plus the savepoint pair of the transaction inside the test's own
# transaction.
IMPORT_QUERIES = 14
OUTBOX_INSERT = ('INSERT INTO "notifications_notification"', 'INSERT OR IGNORE INTO "notif')


def outbox_inserts(queries) -> int:
    return sum(q["sql"].startswith(OUTBOX_INSERT) for q in queries)


def _csv(count, *, existing=()):
    lines = [HEADER]
    for n in range(count):
        lines.append(
            f"personne{n}@example.org;Prénom{n};Nom{n};06 00 00 {n % 100:02d} 00;"
            f"{'administrateur' if n == 0 else ''};{1 + n % 28:02d}/05/1990;P{n:08d};"
            f"2010-06-{1 + n % 28:02d};{'oui' if n % 2 else 'non'}"
        )
    lines.extend(f"{email};;;;;;;;" for email in existing)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("rows", [10, 1000])
def test_import_query_count_does_not_grow_with_rows(admin, outsider, rows):
    with CaptureQueriesContext(connection) as queries:
        imported = import_members(actor=admin, text=_csv(rows, existing=[outsider.user.email]))
    assert imported == rows + 1
    # The outbox's one INSERT: Django's bulk_create splits it into batches of 999 values on
    # SQLite only (PostgreSQL sends one statement); the rest never grows with the rows.
    inserts = outbox_inserts(queries)
    assert inserts == 1 or (connection.vendor == "sqlite" and inserts >= 1)
    assert len(queries) - inserts + 1 == IMPORT_QUERIES, [q["sql"][:80] for q in queries]
    invitations = Invitation.objects.filter(association=admin.association)
    assert invitations.count() == rows + 1  # the outsider too: an invitation, nothing more
    assert not invitations.filter(role="admin").exists()  # imports appoint no admin
    assert Membership.objects.filter(association=admin.association).count() == 1  # the admin
    assert not User.objects.filter(email__startswith="personne").exists()


def test_the_file_fills_in_the_account_created_by_accepting(admin):
    import_members(actor=admin, text=_csv(2))
    invitation = Invitation.objects.get(email="personne1@example.org")
    membership = accept_invitation_with_new_account(
        invitation=invitation,
        first_name="Prénom1",
        last_name="Nom1",
        password="x-Tr3s-long!",
        language="fr",
    )
    user = membership.user
    assert (user.first_name, user.last_name, user.phone) == ("Prénom1", "Nom1", "06 00 00 01 00")
    profile = user.driver_profile
    assert profile.birth_date == dt.date(1990, 5, 2)
    assert profile.licence_issued_on == dt.date(2010, 6, 2)
    assert profile.licence_number == "P00000001"
    assert profile.accompanied_driving is True
    assert (membership.role, membership.status) == ("member", "active")
    assert Invitation.objects.get(pk=invitation.pk).prefill == {}  # used, then forgotten
    assert AuditEntry.objects.get(action="members.imported").data == {
        "rows": 2,
        "invitations": 2,
    }


def test_an_existing_account_keeps_its_own_data(admin, outsider):
    row = f"{outsider.user.email};Autre;01/01/1970;01/03/2020"
    text = f"email;first_name;birth_date;joined_on\n{row}\n"
    import_members(actor=admin, text=text)
    invitation = Invitation.objects.get(email=outsider.user.email)
    membership = accept_invitation(invitation=invitation, user=outsider.user)
    user = User.objects.get(pk=outsider.user.pk)
    assert user.first_name != "Autre"
    assert user.driver_profile.birth_date == dt.date(1980, 5, 17)
    assert membership.joined_on == dt.date(2020, 3, 1)  # the association's own record


def test_importing_again_replaces_the_open_invitation(admin):
    import_members(actor=admin, text="email;first_name\nzoe@example.org;Zoé\n")
    import_members(actor=admin, text="email;first_name\nzoe@example.org;Zoe\n")
    open_ones = Invitation.objects.filter(email="zoe@example.org", revoked_at__isnull=True)
    assert [i.prefill for i in open_ones] == [{"first_name": "Zoe"}]
    assert Invitation.objects.get(revoked_at__isnull=False).prefill == {}


def test_a_file_with_bad_rows_writes_nothing_and_lists_each_error_with_its_row(admin, member):
    text = "\n".join(
        [
            "email;prénom;date de naissance;date du permis;rôle",
            "bonne@example.org;Bonne;01/02/1990;01/02/2010;membre",
            "pas-une-adresse;Mauvaise;;;",
            "bonne@example.org;Doublon;;;",
            "date@example.org;Date;31/02/1990;;",
            f"{member.user.email};Déjà;;;",
            "role@example.org;Rôle;;;chef",
        ]
    )
    users_before = User.objects.count()
    with translation.override("fr"):
        preview = preview_member_import(actor=admin, text=text)
        errors = {row.line: row.errors for row in preview.rows}
        with pytest.raises(DomainError):
            import_members(actor=admin, text=text)
    assert errors == {
        2: [],
        3: ["« pas-une-adresse » n’est pas une adresse e-mail valide."],
        4: ["bonne@example.org figure déjà à la ligne 2 du fichier."],
        5: ["birth_date : « 31/02/1990 » n’est pas une date possible (écrivez 31/12/1990)."],
        6: [f"{member.user.email} figure déjà dans l’association (actif)."],
        7: ["Rôle inconnu « chef » (écrivez membre ou administrateur)."],
    }
    assert preview.error_count == 5
    assert not preview.is_valid
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="members.imported").exists()


def test_a_former_member_is_invited_again(admin):
    former = MembershipFactory(association=admin.association, status="left")
    DriverProfileFactory(user=former.user)
    preview = preview_member_import(actor=admin, text=f"email\n{former.user.email}\n")
    assert preview.is_valid


def test_only_admins_import(member):
    from core.errors import ForbiddenError

    with pytest.raises(ForbiddenError):
        import_members(actor=member, text=_csv(1))
    assert not User.objects.filter(email__startswith="personne").exists()


def test_a_member_who_joined_between_preview_and_import_is_caught(admin):
    text = _csv(3)
    assert preview_member_import(actor=admin, text=text).is_valid
    MembershipFactory(
        user=UserFactory(email="personne1@example.org"), association=admin.association
    )
    with pytest.raises(DomainError):
        import_members(actor=admin, text=text)
    assert not Invitation.objects.exists()


def test_imported_invitations_are_mailed_through_the_outbox_once_each(
    admin, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        import_members(actor=admin, text=_csv(2))
    notices = Notification.objects.filter(kind="invitation").order_by("email")
    assert [(n.email, n.recipient_id) for n in notices] == [
        ("personne0@example.org", None),
        ("personne1@example.org", None),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["personne0@example.org", "personne1@example.org"]
    assert all("L’association a noté quelques informations" in m.body for m in mailoutbox)


ADDRESS_HEADER = "courriel;prénom;nom;adresse;code postal;ville;lieu de naissance;date de naissance"


def test_the_address_and_place_of_birth_of_the_file_fill_in_the_new_account(admin):
    text = (
        f"{ADDRESS_HEADER}\n"
        "bruno@example.org;Bruno;Lefèvre;3 rue des  Vignes;63000;Villerouge;Thiers;01/02/1980\n"
    )
    assert import_members(actor=admin, text=text) == 1
    membership = accept_invitation_with_new_account(
        invitation=Invitation.objects.get(email="bruno@example.org"),
        first_name="Bruno",
        last_name="Lefèvre",
        password="x-Tr3s-long!",
        language="fr",
    )
    assert membership.user.postal_address == "3 rue des Vignes, 63000 Villerouge"
    assert membership.user.driver_profile.birth_place == "Thiers"


def test_an_incomplete_address_is_a_row_error_and_nothing_is_imported(admin):
    text = (
        f"{ADDRESS_HEADER}\n"
        "bruno@example.org;Bruno;Lefèvre;3 rue des Vignes;;Villerouge;;\n"
        "nina@example.org;Nina;Roux;2 rue Haute;6300;Villerouge;;\n"
    )
    with translation.override("en"):
        preview = preview_member_import(actor=admin, text=text)
    assert [len(row.errors) for row in preview.rows] == [1, 1]
    assert "street, the postcode and the town" in preview.rows[0].errors[0]
    assert "five digits" in preview.rows[1].errors[0]
    with pytest.raises(DomainError):
        import_members(actor=admin, text=text)
    assert not Invitation.objects.filter(email__in=["bruno@example.org", "nina@example.org"])
