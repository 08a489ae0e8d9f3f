from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from members.models import Association, DriverProfile, Household, Invitation, Membership, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    street = factory.Sequence(lambda n: f"{n % 200 + 1} rue des Tilleuls")
    postcode = "63000"
    town = "Villerouge"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEMO_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Autopartage n°{n}")
    slug = factory.Sequence(lambda n: f"asso-{n}")
    commune = "Villerouge"
    address = "Maison des associations, 2 rue du Lavoir, 63000 Villerouge"
    commune_address = "Mairie, 1 place de l'Église, 63000 Villerouge"
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_on = dt.date(2025, 1, 1)


class DriverProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    birth_date = dt.date(1980, 5, 17)
    birth_place = "Clermont-Ferrand (Puy-de-Dôme)"
    licence_number = factory.Sequence(lambda n: f"12AB{n:08d}")
    licence_issued_on = dt.date(2000, 6, 1)
    licence_issued_by = "Préfecture du Puy-de-Dôme"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    association = factory.SubFactory(AssociationFactory)
    label = factory.Sequence(lambda n: f"Foyer {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    association = factory.SubFactory(AssociationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.MEMBER
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=14))
