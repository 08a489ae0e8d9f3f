"""Every contracts service checks who acts itself (docs/ARCHITECTURE.md, "Services"): only
an active admin of the agreement's association; a member is refused 403 `forbidden`, an
admin of another association 403 `foreign`, a suspended admin 403 `not_active_member`, and
nothing is written."""

import datetime as dt

import pytest
import time_machine

from contracts.models import Agreement, TemplateVersion
from contracts.services import (
    copy_default_template,
    end_agreement,
    generate_agreement,
    mark_agreement_printed,
    mark_outdated_agreements,
    record_agreement_signature,
    save_template_version,
)
from core.errors import ForbiddenError
from members.models import AuditEntry, Membership
from members.permissions import SystemActor
from tests.contracts.conftest import LIGHT_AGREEMENT
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(light_templates):
    with time_machine.travel(dt.datetime(2025, 6, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def draft(admin, car, driver):
    return generate_agreement(actor=admin, vehicle=car, driver=driver)


def _calls(draft, car, driver):
    association = car.association
    return {
        "generate": lambda actor: generate_agreement(actor=actor, vehicle=car, driver=driver),
        "printed": lambda actor: mark_agreement_printed(actor=actor, agreement=draft),
        "sign": lambda actor: record_agreement_signature(
            actor=actor, agreement=draft, signed_on=dt.date(2025, 6, 10)
        ),
        "end": lambda actor: end_agreement(actor=actor, agreement=draft),
        "outdated": lambda actor: mark_outdated_agreements(actor=actor, association=association),
        "copy_template": lambda actor: copy_default_template(
            actor=actor, association=association, kind="member_statement"
        ),
        "save_template": lambda actor: save_template_version(
            actor=actor, association=association, kind="agreement", source=LIGHT_AGREEMENT + "!"
        ),
    }


def _intruders(member, other_association, association):
    other_admin = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    suspended = MembershipFactory(
        association=association, role=Membership.Role.ADMIN, status=Membership.Status.SUSPENDED
    )
    return {
        "forbidden": member,
        "foreign": other_admin,
        "not_active_member": suspended,
        # The platform acts for one association only.
        "foreign_system": SystemActor(other_association, "test"),
    }


SERVICES = ["generate", "printed", "sign", "end", "outdated", "copy_template", "save_template"]


@pytest.mark.parametrize("service", SERVICES)
def test_only_an_active_admin_of_the_association_may_call_it(
    service, draft, car, driver, member, other_association, association
):
    call = _calls(draft, car, driver)[service]
    before = (
        list(Agreement.objects.values_list("pk", "status")),
        TemplateVersion.objects.count(),
        AuditEntry.objects.count(),
    )
    for code, intruder in _intruders(member, other_association, association).items():
        with pytest.raises(ForbiddenError) as refused:
            call(intruder)
        assert refused.value.code == code.removesuffix("_system"), (service, code)
    after = (
        list(Agreement.objects.values_list("pk", "status")),
        TemplateVersion.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("service", SERVICES)
def test_an_admin_of_the_association_may_call_it(service, draft, car, driver, admin):
    _calls(draft, car, driver)[service](admin)


def test_the_nightly_scan_marks_as_the_platform_of_that_association(draft, admin, association):
    record_agreement_signature(actor=admin, agreement=draft, signed_on=dt.date(2025, 6, 10))
    assert (
        mark_outdated_agreements(
            actor=SystemActor(association, "outdated_agreements"), association=association
        )
        == []
    )
