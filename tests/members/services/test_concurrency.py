"""Two admins demoting each other at the same moment must leave one admin."""

import contextlib
import threading

import pytest
from django.db import connection

from core.errors import ConflictError
from members.models import Membership
from members.services import memberships
from tests.factories.members import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_demotions_keep_one_admin(monkeypatch):
    association = AssociationFactory()
    first, second = MembershipFactory.create_batch(2, association=association, role="admin")
    # Both requests meet after locking their target and before counting the other admins:
    # the widest window a race could use. With the association lock the second request
    # cannot get there, so the first one stops waiting after a second and goes on alone.
    meeting = threading.Barrier(2, timeout=1)
    check = memberships.ensure_not_last_admin

    def meet_then_check(membership):
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        check(membership)

    monkeypatch.setattr(memberships, "ensure_not_last_admin", meet_then_check)
    outcomes: list[str] = []

    def demote(actor, target):
        try:
            memberships.change_role(actor=actor, membership=target, role="member")
            outcomes.append("demoted")
        except ConflictError as error:
            outcomes.append(error.code)
        except Exception as error:  # a deadlock or a lost update is the failure we look for
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["demoted", "last_admin"]
    admins = Membership.objects.filter(association=association, role="admin", status="active")
    assert admins.count() == 1
