import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Association, Invitation, Membership
from members.validators import RESERVED_SLUGS
from tests.factories.members import AssociationFactory, InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_reserved_slugs_are_refused_by_validation(slug):
    association = Association(name="X", slug=slug, commune="X")
    with pytest.raises(ValidationError) as refused:
        association.full_clean()
    assert "slug" in refused.value.message_dict


def test_reserved_slugs_are_refused_by_the_database_too():
    with transaction.atomic(), pytest.raises(IntegrityError):
        Association.objects.create(name="X", slug="api", commune="X")


def _first_segments(patterns):
    from django.urls import URLResolver

    for pattern in patterns:
        segment = str(pattern.pattern).split("/")[0]
        if segment.startswith("<"):
            continue
        if segment:
            yield segment
        elif isinstance(pattern, URLResolver):  # included at the root: look inside
            yield from _first_segments(pattern.url_patterns)


def test_every_root_url_segment_is_a_reserved_slug():
    from django.urls import get_resolver

    segments = set(_first_segments(get_resolver().url_patterns))
    # A segment that is no slug (sw.js, manifest.webmanifest) cannot shadow an association.
    slugs = {segment for segment in segments if re.fullmatch(r"[-\w]+", segment)}
    assert slugs - RESERVED_SLUGS == set()
    assert {"me", "invitations", "join", "api", "accounts"} <= segments


def test_unknown_time_zone_is_refused():
    association = Association(name="X", slug="x", commune="X", time_zone="Europe/Paname")
    with pytest.raises(ValidationError) as refused:
        association.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_membership_status_must_be_known():
    with transaction.atomic(), pytest.raises(IntegrityError):
        MembershipFactory(status="banned")


def test_membership_cannot_end_before_it_starts():
    with transaction.atomic(), pytest.raises(IntegrityError):
        MembershipFactory(joined_on=dt.date(2026, 1, 2), left_on=dt.date(2026, 1, 1))


def test_one_open_invitation_per_address():
    association = AssociationFactory()
    InvitationFactory(association=association, email="a@example.org")
    with transaction.atomic(), pytest.raises(IntegrityError):
        InvitationFactory(association=association, email="a@example.org")
    Invitation.objects.update(revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    InvitationFactory(association=association, email="a@example.org")  # a new one is fine


def test_is_admin_needs_an_active_admin_membership():
    assert MembershipFactory.build(role="admin", status="active").is_admin
    assert not MembershipFactory.build(role="admin", status="suspended").is_admin
    assert not MembershipFactory.build(role="member", status="active").is_admin
    assert Membership.Status.REFUSED == "refused"
