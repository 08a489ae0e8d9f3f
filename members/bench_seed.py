"""Bench data for members: associations in French communes, 20 to 40 people each with a
driver profile, mostly active members, one or two admins, a few pending or gone.

Bench accounts (password BENCH_PASSWORD) are predictable: `admin@<slug>.bench.example` and
`member@<slug>.bench.example` for every association; those of about twenty associations
spread over the range are handed to bench/ in `ctx.accounts`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from core.bench_seeding import BENCH_PASSWORD, BenchContext
from core.timeutils import add_years
from members.models import Association, DriverProfile, Membership, User

MEMBERS_PER_ASSOCIATION = (20, 40)
ACCOUNT_ASSOCIATIONS = 20

COMMUNES = [
    ("Saint-Martin-d'Ollières", "63"), ("Villeneuve-Lembron", "63"), ("Aydat", "63"),
    ("Saint-Julien-de-Coppel", "63"), ("Manzat", "63"), ("Olliergues", "63"),
    ("Chambon-sur-Lac", "63"), ("Saint-Gervais-d'Auvergne", "63"), ("Pontgibaud", "63"),
    ("Murol", "63"), ("Besse-et-Saint-Anastaise", "63"), ("Tauves", "63"),
    ("Saint-Flour", "15"), ("Allanche", "15"), ("Massiac", "15"), ("Salers", "15"),
    ("Langeac", "43"), ("Craponne-sur-Arzon", "43"), ("Saugues", "43"), ("Tence", "43"),
    ("Cérilly", "03"), ("Ébreuil", "03"), ("Le Mayet-de-Montagne", "03"), ("Hérisson", "03"),
    ("Eymoutiers", "87"), ("Bourganeuf", "23"), ("Felletin", "23"), ("Royère-de-Vassivière", "23"),
    ("Meymac", "19"), ("Treignac", "19"), ("Argentat-sur-Dordogne", "19"), ("Ussel", "19"),
    ("Saint-Affrique", "12"), ("Najac", "12"), ("Laguiole", "12"), ("Florac", "48"),
    ("Le Chambon-sur-Lignon", "43"), ("Mens", "38"), ("Clelles", "38"), ("Die", "26"),
    ("Saillans", "26"), ("Dieulefit", "26"), ("Forcalquier", "04"), ("Banon", "04"),
    ("Saint-Girons", "09"), ("Massat", "09"), ("Lannemezan", "65"), ("Arreau", "65"),
    ("Mauléon-Licharre", "64"), ("Tardets-Sorholus", "64"), ("Guéméné-sur-Scorff", "56"),
    ("Rostrenen", "22"), ("Callac", "22"), ("Huelgoat", "29"), ("Lormes", "58"),
    ("Château-Chinon", "58"), ("Saulieu", "21"), ("Vézelay", "89"), ("Bourbon-Lancy", "71"),
    ("Cluny", "71"),
]  # fmt: skip

FIRST_NAMES = [
    "Alice", "Bruno", "Camille", "Denis", "Élodie", "François", "Gaëlle", "Hugo", "Inès",
    "Jacques", "Karine", "Laurent", "Léa", "Marc", "Nathalie", "Olivier", "Pauline", "Quentin",
    "Renée", "Sébastien", "Sylvie", "Thierry", "Ursule", "Valérie", "William", "Yasmine",
    "Zoé", "Antoine", "Bernadette", "Christophe", "Danielle", "Étienne", "Françoise",
    "Gérard", "Hélène", "Isabelle", "Jean-Pierre", "Lucie", "Mathieu", "Noémie", "Odile",
    "Philippe", "Romain", "Solène", "Thomas", "Victor", "Yvette", "Mohamed", "Fatima", "Kévin",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand",
    "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
]  # fmt: skip

AUTHORITIES = [
    "Préfecture du Puy-de-Dôme",
    "Préfecture du Cantal",
    "ANTS",
    "Préfecture de la Creuse",
]


@dataclass(frozen=True)
class Person:
    """One generated person of one association, before insertion."""

    association_index: int
    index: int
    role: str
    status: str


def seed(ctx: BenchContext) -> None:
    count = ctx.scale.associations
    associations = ctx.bulk_create(
        Association, (_association(ctx, i) for i in range(count)), total=count
    )
    people = [person for i in range(len(associations)) for person in _people_of_association(ctx, i)]
    users = ctx.bulk_create(User, (_user(ctx, associations, p) for p in people), total=len(people))
    ctx.bulk_create(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        total=len(users),
        keep=False,
    )
    ctx.bulk_create(DriverProfile, (_driver_profile(ctx, u) for u in users), total=len(users))
    memberships = ctx.bulk_create(
        Membership,
        (_membership(ctx, associations, u, p) for u, p in zip(users, people, strict=True)),
        total=len(people),
    )
    _add_accounts(ctx, associations, memberships, people)


def _association(ctx: BenchContext, index: int) -> Association:
    commune, department = COMMUNES[index % len(COMMUNES)]
    slug = f"{slugify(commune)}-{index + 1}"
    return Association(
        name=f"Autopartage de {commune}",
        slug=slug,
        commune=commune,
        address=f"Mairie, place de l'Église, {department}{ctx.rng.randrange(100, 999)} {commune}",
        contact_email=f"contact@{slug}.bench.example",
        approval_required_default=ctx.rng.random() < 0.3,
        membership_fee=Decimal(ctx.rng.choice(["0.00", "5.00", "10.00", "15.00", "20.00"])),
        agreement_required=ctx.rng.random() < 0.9,
    )


def _people_of_association(ctx: BenchContext, association_index: int) -> list[Person]:
    count = ctx.rng.randint(*MEMBERS_PER_ASSOCIATION)
    admins = 2 if ctx.rng.random() < 0.5 else 1
    people = []
    for index in range(count):
        # Person 0 is an admin and person 1 a member: the bench accounts, always active.
        is_admin = index == 0 or 2 <= index <= admins
        role = Membership.Role.ADMIN if is_admin else Membership.Role.MEMBER
        status = Membership.Status.ACTIVE if index < 2 or is_admin else _status(ctx)
        people.append(Person(association_index, index, role, status))
    return people


def _status(ctx: BenchContext) -> str:
    draw = ctx.rng.random()
    if draw < 0.88:
        return Membership.Status.ACTIVE
    if draw < 0.93:
        return Membership.Status.PENDING
    if draw < 0.98:
        return Membership.Status.LEFT
    return Membership.Status.SUSPENDED


def bench_email(slug: str, index: int, first_name: str = "", last_name: str = "") -> str:
    """The address of person `index` of an association: admin@ and member@ for the first two."""
    domain = f"{slug}.bench.example"
    if index == 0:
        return f"admin@{domain}"
    if index == 1:
        return f"member@{domain}"
    return f"{slugify(first_name)}.{slugify(last_name)}.{index}@{domain}"


def _user(ctx: BenchContext, associations: list[Association], person: Person) -> User:
    first, last = ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)
    slug = associations[person.association_index].slug
    return User(
        email=bench_email(slug, person.index, first, last),
        first_name=first,
        last_name=last,
        phone=f"06 {ctx.rng.randrange(10, 99)} {ctx.rng.randrange(10, 99)} "
        f"{ctx.rng.randrange(10, 99)} {ctx.rng.randrange(10, 99)}",
        password=ctx.password_hash,
    )


def _driver_profile(ctx: BenchContext, user: User) -> DriverProfile:
    # About one driver in ten is young (18 to 24), the insurers' sticking point.
    age = ctx.rng.randint(18, 24) if ctx.rng.random() < 0.1 else ctx.rng.randint(25, 82)
    birth_date = add_years(ctx.today, -age) - dt.timedelta(days=ctx.rng.randrange(365))
    licence_age = ctx.rng.randint(18, min(age, 30))
    issued_on = add_years(birth_date, licence_age) + dt.timedelta(days=ctx.rng.randrange(300))
    return DriverProfile(
        user=user,
        birth_date=birth_date,
        licence_number=f"BENCH{user.pk:09d}",
        licence_issued_on=min(issued_on, ctx.today),
        licence_issued_by=ctx.rng.choice(AUTHORITIES),
        accompanied_driving=ctx.rng.random() < 0.3,
        post_licence_training=ctx.rng.random() < 0.1,
    )


def _membership(
    ctx: BenchContext, associations: list[Association], user: User, person: Person
) -> Membership:
    span = max((ctx.today - ctx.start).days, 1)
    joined_on = ctx.start + dt.timedelta(days=ctx.rng.randrange(span))
    left_on = None
    if person.status == Membership.Status.LEFT:
        left_on = joined_on + dt.timedelta(days=ctx.rng.randrange((ctx.today - joined_on).days + 1))
    pending = person.status == Membership.Status.PENDING
    return Membership(
        user=user,
        association=associations[person.association_index],
        role=person.role,
        status=person.status,
        joined_on=None if pending else joined_on,
        left_on=left_on,
        fee_paid_until=None if pending else add_years(joined_on, 1),
        request_message="Bonjour, je voudrais emprunter une voiture le samedi." if pending else "",
    )


def _add_accounts(
    ctx: BenchContext,
    associations: list[Association],
    memberships: list[Membership],
    people: list[Person],
) -> None:
    """The admin and member accounts of ~20 associations spread over the range."""
    step = max(1, len(associations) // ACCOUNT_ASSOCIATIONS)
    chosen = set(range(0, len(associations), step))
    for membership, person in zip(memberships, people, strict=True):
        if person.association_index in chosen and person.index < 2:
            ctx.accounts.append(
                {
                    "email": membership.user.email,
                    "password": BENCH_PASSWORD,
                    "role": person.role,
                    "slug": associations[person.association_index].slug,
                    "association_id": membership.association_id,
                    "membership_id": membership.pk,
                }
            )
