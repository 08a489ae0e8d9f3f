"""core.prepared: ORM queries compiled once, run with new values, rows as the ORM gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.prepared import PreparedQuery, field_names, instance
from members.models import Association, Membership
from tests.factories.members import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_same_rows_as_the_orm_for_every_value_and_the_sql_built_once():
    built = []

    def build(association_id, role):
        built.append((association_id, role))
        return (
            Membership.objects.filter(association_id=association_id, role=role)
            .order_by("pk")
            .values_list("pk", "role", "association__name", "joined_on")
        )

    query = PreparedQuery(build, association_id=int, role=str)
    first, second = AssociationFactory(), AssociationFactory()
    MembershipFactory.create_batch(2, association=first, role=Membership.Role.ADMIN)
    MembershipFactory(association=first)
    MembershipFactory(association=second, role=Membership.Role.ADMIN)
    for association in (first, second):
        for role in Membership.Role.values:
            expected = list(
                Membership.objects.filter(association=association, role=role)
                .order_by("pk")
                .values_list("pk", "role", "association__name", "joined_on")
            )
            assert query.rows(association_id=association.pk, role=role) == expected
    assert len(built) == 1  # compiled once, with sentinels, never with a real value
    assert built[0][0] not in (first.pk, second.pk)
    assert query.rows(association_id=first.pk, role="no-such-role") == []


def test_datetimes_are_compared_and_converted_as_the_orm_does():
    association = AssociationFactory()
    query = PreparedQuery(
        lambda association_id, since: Association.objects.filter(
            pk=association_id, created_at__gt=since
        ).values_list("created_at", "deposit_amount"),
        association_id=int,
        since=dt.datetime,
    )
    [(created_at, deposit)] = query.rows(
        association_id=association.pk, since=association.created_at - dt.timedelta(seconds=1)
    )
    assert created_at == association.created_at and timezone.is_aware(created_at)
    assert isinstance(deposit, Decimal)
    assert query.rows(association_id=association.pk, since=association.created_at) == []


def test_an_argument_used_twice_takes_its_value_in_both_places():
    first, second = AssociationFactory(), AssociationFactory()
    query = PreparedQuery(
        lambda pk: Association.objects.filter(pk=pk).exclude(pk__gt=pk).values_list("slug"),
        pk=int,
    )
    assert query.rows(pk=first.pk) == [(first.slug,)]
    assert query.rows(pk=second.pk) == [(second.slug,)]


def test_an_argument_the_query_does_not_use_is_refused():
    query = PreparedQuery(lambda pk: Association.objects.values_list("pk"), pk=int)
    with pytest.raises(ValueError, match="pk"):
        query.rows(pk=1)


def test_instances_are_those_a_queryset_gives():
    membership = MembershipFactory()
    query = PreparedQuery(
        lambda pk: Membership.objects.filter(pk=pk).values_list(
            *field_names(Membership), *field_names(Association, "association__")
        ),
        pk=int,
    )
    [row] = query.rows(pk=membership.pk)
    count = len(field_names(Membership))
    built = instance(Membership, row[:count])
    association = instance(Association, row[count:])
    loaded = Membership.objects.select_related("association").get(pk=membership.pk)
    for field in Membership._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(loaded, field.attname)
    for field in Association._meta.concrete_fields:
        assert getattr(association, field.attname) == getattr(loaded.association, field.attname)
    assert not built._state.adding
