"""Demo people and associations. Dates are relative to today in Europe/Paris, so that the
facts the demo shows stay true (Léa is 19 and has held her licence for 10 months)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from core.timeutils import add_months, add_years, local_today
from members.models import Association, DriverProfile, Membership, User

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    association: str
    role: str = Membership.Role.MEMBER
    status: str = Membership.Status.ACTIVE
    age_years: int = 45
    licence_months: int | None = 12 * 20
    # Members since the association's first year, so that its report shows two years.
    joined_months: int = 30
    # Postal address (street, postcode, town) and place of birth, printed on the papers.
    address: tuple[str, str, str] = ("", "", "")
    birth_place: str = "Clermont-Ferrand (Puy-de-Dôme)"


DEMO_ASSOCIATIONS = {
    "villerouge": {
        "name": "Autopartage de Villerouge",
        "commune": "Villerouge",
        "postcode": "63000",
        "address": "Maison des associations, 2 rue du Lavoir, 63000 Villerouge",
        "commune_address": "Mairie, 1 place de l'Église, 63000 Villerouge",
        "contact_email": "contact@villerouge.example",
    },
    "saint-martin": {
        "name": "Autopartage de Saint-Martin",
        "commune": "Saint-Martin",
        "postcode": "63000",
        "address": "Salle des fêtes, rue des Écoles, 63000 Saint-Martin",
        "commune_address": "Mairie, 4 place de la République, 63000 Saint-Martin",
        "contact_email": "contact@saint-martin.example",
    },
}
# Villerouge opens its public page and is listed in the directory; Saint-Martin does not.
VILLEROUGE_PUBLIC = {
    "description": (
        "Depuis deux ans, des habitants de Villerouge partagent trois voitures : la Clio "
        "d’une voisine, le Kangoo de deux familles et la Zoé électrique de la mairie.\n\n"
        "Les voitures sont garées au bourg et près de la mairie. Elles servent pour le "
        "marché, les rendez-vous médicaux, la déchetterie ou un déplacement à Clermont. "
        "Chacun paie au kilomètre ce que la voiture coûte vraiment, sans bénéfice pour "
        "personne.\n\n"
        "Toute personne qui habite Villerouge ou les hameaux voisins peut adhérer. "
        "Permanence le premier samedi du mois à la mairie, de 10 h à 12 h."
    ),
    "public_page": True,
    "listed_in_directory": True,
}

DEMO_PEOPLE = [
    DemoPerson(
        "admin@villerouge.example",
        "Alice",
        "Martin",
        "villerouge",
        Membership.Role.ADMIN,
        address=("8 place de l'Église", "63000", "Villerouge"),
    ),
    DemoPerson(
        "camille@villerouge.example",
        "Camille",
        "Roux",
        "villerouge",
        age_years=38,
        address=("12 rue du Lavoir", "63000", "Villerouge"),
        birth_place="Riom (Puy-de-Dôme)",
    ),
    DemoPerson(
        "bruno@villerouge.example",
        "Bruno",
        "Lefèvre",
        "villerouge",
        licence_months=12 * 15,
        address=("3 rue des Vignes", "63000", "Villerouge"),
        birth_place="Thiers (Puy-de-Dôme)",
    ),
    DemoPerson(
        "lea@villerouge.example",
        "Léa",
        "Garnier",
        "villerouge",
        age_years=19,
        licence_months=10,
        joined_months=9,
        address=("5 chemin des Prés", "63000", "Villerouge"),
        birth_place="Issoire (Puy-de-Dôme)",
    ),
    DemoPerson(
        "denis@villerouge.example",
        "Denis",
        "Moreau",
        "villerouge",
        status=Membership.Status.PENDING,
        address=("14 rue du Lavoir", "63000", "Villerouge"),
    ),
    DemoPerson(
        "admin@saint-martin.example",
        "Sophie",
        "Bernard",
        "saint-martin",
        Membership.Role.ADMIN,
        address=("1 rue des Écoles", "63000", "Saint-Martin"),
    ),
    DemoPerson(
        "eve@saint-martin.example",
        "Ève",
        "Petit",
        "saint-martin",
        age_years=52,
        address=("9 route de Villerouge", "63000", "Saint-Martin"),
        birth_place="Vichy (Allier)",
    ),
]


def seed(log: Callable[[str], None]) -> None:
    today = local_today(PARIS)
    associations = {slug: _association(slug, log) for slug in DEMO_ASSOCIATIONS}
    for person in DEMO_PEOPLE:
        user = _user(person, log)
        _driver_profile(user, person, today)
        _membership(user, associations[person.association], person, today)


def _association(slug: str, log: Callable[[str], None]) -> Association:
    # Set up by an operator: their rules are settled, no start checklist.
    defaults = {**DEMO_ASSOCIATIONS[slug], "rules_confirmed_at": timezone.now()}
    association, created = Association.objects.get_or_create(slug=slug, defaults=defaults)
    if created:
        log(f"association {slug}")
    elif not association.commune_address:  # a demo seeded before addresses existed
        association.commune_address = DEMO_ASSOCIATIONS[slug]["commune_address"]
        association.save(update_fields=["commune_address"])
    if slug == "villerouge" and not association.description:
        for name, value in VILLEROUGE_PUBLIC.items():
            setattr(association, name, value)
        association.postcode = association.postcode or DEMO_ASSOCIATIONS[slug]["postcode"]
        association.save(update_fields=[*VILLEROUGE_PUBLIC, "postcode"])
        log(f"association {slug}: public page and directory")
    return association


def _user(person: DemoPerson, log: Callable[[str], None]) -> User:
    street, postcode, town = person.address
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "street": street,
            "postcode": postcode,
            "town": town,
        },
    )
    if not created and not user.street:  # a demo seeded before addresses existed
        user.street, user.postcode, user.town = person.address
        user.save(update_fields=["street", "postcode", "town"])
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        log(f"user {person.email}")
    return user


def _driver_profile(user: User, person: DemoPerson, today: dt.date) -> None:
    if person.licence_months is None:
        return
    existing = DriverProfile.objects.filter(user=user)
    if existing.exists():
        existing.filter(birth_place="").update(birth_place=person.birth_place)
        return
    # Born a little more than `age_years` ago, so the age holds for the weeks after seeding.
    birth_date = add_years(today, -person.age_years) - dt.timedelta(days=20)
    DriverProfile.objects.create(
        user=user,
        birth_date=birth_date,
        birth_place=person.birth_place,
        licence_number=f"DEMO{user.pk:08d}",
        licence_issued_on=add_months(today, -person.licence_months),
        licence_issued_by="Préfecture du Puy-de-Dôme",
    )


def _membership(user: User, association: Association, person: DemoPerson, today: dt.date) -> None:
    Membership.objects.get_or_create(
        user=user,
        association=association,
        defaults={
            "role": person.role,
            "status": person.status,
            "joined_on": add_months(today, -person.joined_months)
            if person.status == "active"
            else None,
            "fee_paid_until": add_months(today, 10) if person.status == "active" else None,
            "request_message": (
                "Bonjour, j'habite rue du Lavoir et j'aimerais emprunter une voiture "
                "le samedi pour le marché."
                if person.status == Membership.Status.PENDING
                else ""
            ),
        },
    )
