"""Settling an incident: at most the deductible that applied, one ledger transaction under
the incident's reference, balances still summing to 0.00 (SQLite and PostgreSQL)."""

import datetime as dt
from decimal import Decimal

import pytest

from bookings.models import Incident
from bookings.services.incidents import Assessment, Report, assess_incident, report_incident
from bookings.services.settlement import Decision, close_incident, settle_incident
from core.errors import ConflictError, DomainError, ForbiddenError
from ledger.models import Deposit, LedgerTransaction
from ledger.services import record_deposit
from members.models import Association
from tests.bookings.incidents.conftest import NOW
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.ledger.helpers import assert_ledger_consistent, balance_of, legs_of
from vehicles.models import InsurancePolicy

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def incident(driver, clio, trip):
    return report_incident(
        actor=driver,
        report=Report(
            vehicle=clio, kind="dent", description="Choc au parking", booking=trip.booking
        ),
    )


def _settle(admin, incident, responsible, amount, **kwargs):
    decision = Decision(responsible=responsible, amount=D(amount), **kwargs)
    return settle_incident(actor=admin, incident=incident, decision=decision)


def test_450_on_the_clio_moves_the_driver_by_minus_450_and_the_owner_by_plus_450(
    association, admin, owner, driver, incident
):
    before = {m.pk: balance_of(association, m) for m in (owner, driver)}
    settled = _settle(admin, incident, driver, "450")
    assert balance_of(association, driver) - before[driver.pk] == D("-450.00")
    assert balance_of(association, owner) - before[owner.pk] == D("450.00")
    assert settled.status == Incident.Status.SETTLED
    assert settled.deductible_applied == D("500.00") and settled.charged_amount == D("450.00")
    txn = LedgerTransaction.objects.get(reference=f"incident:{incident.pk}")
    assert settled.ledger_transaction == txn and txn.kind == LedgerTransaction.Kind.DAMAGE
    assert LedgerTransaction.objects.filter(reference__startswith="incident:").count() == 1
    assert_ledger_consistent(association)


def test_650_on_the_clio_is_above_the_deductible_and_changes_nothing(
    association, admin, driver, incident
):
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, "650")
    assert error.value.code == "above_deductible"
    assert error.value.extra["deductible"] == "500.00"
    assert "500,00" in str(error.value.message)
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REPORTED
    assert not LedgerTransaction.objects.filter(reference__startswith="incident:").exists()
    assert_ledger_consistent(association)


def test_the_deductible_itself_is_allowed(association, admin, driver, incident):
    _settle(admin, incident, driver, "500.00")
    assert_ledger_consistent(association)


def test_a_young_driver_s_higher_deductible_applies_on_the_incident_s_day(
    association, admin, owner, incident
):
    policy = InsurancePolicy.objects.get(vehicle=incident.vehicle)
    policy.young_driver_rule = InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE
    policy.young_driver_deductible = D("800.00")
    policy.min_driver_age = 21
    policy.save()
    young = MembershipFactory(association=association)
    DriverProfileFactory(
        user=young.user, birth_date=dt.date(2006, 3, 1), licence_issued_on=dt.date(2025, 1, 10)
    )
    settled = _settle(admin, incident, young, "800")
    assert settled.deductible_applied == D("800.00")
    assert balance_of(association, young) == D("-800.00")
    assert_ledger_consistent(association)


def test_the_higher_deductible_accepted_at_booking_applies_to_its_driver(
    association, admin, driver, incident
):
    incident.booking.accepted_deductible = D("800.00")
    incident.booking.save(update_fields=["accepted_deductible"])
    assert _settle(admin, incident, driver, "700").deductible_applied == D("800.00")


def test_the_policy_in_force_on_the_incident_s_day_counts(association, admin, driver, incident):
    InsurancePolicy.objects.filter(vehicle=incident.vehicle).update(
        valid_until=dt.date(2026, 6, 30), is_active=False
    )
    InsurancePolicy.objects.create(
        vehicle=incident.vehicle,
        insurer="MAIF",
        policy_number="NEW",
        cover="comprehensive",
        valid_from=dt.date(2026, 7, 1),
        deductible=D("300.00"),
        min_driver_age=18,
        min_licence_years=0,
    )
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, "450")
    assert error.value.code == "above_deductible"
    Incident.objects.filter(pk=incident.pk).update(occurred_at=NOW - dt.timedelta(days=200))
    incident.refresh_from_db()
    assert _settle(admin, incident, driver, "450").deductible_applied == D("500.00")


def test_without_a_policy_on_that_day_nothing_is_charged(admin, driver, incident):
    InsurancePolicy.objects.filter(vehicle=incident.vehicle).update(valid_from=dt.date(2027, 1, 1))
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, "100")
    assert error.value.code == "no_policy"


def test_the_driver_cannot_settle_their_own_incident(driver, incident):
    with pytest.raises(ForbiddenError) as error:
        _settle(driver, incident, driver, "10")
    assert error.value.code == "forbidden"


def test_the_owner_cannot_settle_either(owner, driver, incident):
    with pytest.raises(ForbiddenError):
        _settle(owner, incident, driver, "10")


def test_another_association_s_admin_cannot_settle(other_association, driver, incident):
    from members.models import Membership

    stranger = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    with pytest.raises(ForbiddenError):
        _settle(stranger, incident, driver, "10")


def test_a_responsible_of_another_association_is_refused(admin, outsider, incident):
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, outsider, "10")
    assert error.value.code == "responsible_unknown"


def test_the_sole_owner_is_never_charged_for_their_own_car(admin, owner, incident):
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, owner, "10")
    assert error.value.code == "responsible_is_owner"


@pytest.mark.parametrize("amount", ["0", "-20", "0.004"])
def test_a_charge_must_be_positive(admin, driver, incident, amount):
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, amount)
    assert error.value.code == "amount"


def test_a_charge_cannot_exceed_the_repair(admin, owner, driver, incident):
    assess_incident(
        actor=owner, incident=incident, assessment=Assessment(kind="dent", repair_cost=D("120"))
    )
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, "150")
    assert error.value.code == "above_repair_cost"


def test_an_incident_is_settled_once(admin, driver, incident):
    _settle(admin, incident, driver, "100")
    with pytest.raises(ConflictError):
        _settle(admin, incident, driver, "100")
    assert LedgerTransaction.objects.filter(reference=f"incident:{incident.pk}").count() == 1


def test_closing_without_charge_posts_nothing(association, admin, incident):
    closed = close_incident(actor=admin, incident=incident, note="Usure normale")
    assert closed.status == Incident.Status.CLOSED and closed.decision == "Usure normale"
    assert not LedgerTransaction.objects.filter(reference__startswith="incident:").exists()


def test_with_the_insurer_the_driver_pays_the_deductible_and_the_insurer_the_rest(
    association, admin, owner, driver, incident
):
    assess_incident(
        actor=owner,
        incident=incident,
        assessment=Assessment(kind="accident", repair_cost=D("2400"), insurer_involved=True),
    )
    settled = _settle(admin, incident, driver, "500")
    txn = settled.ledger_transaction
    assert txn.kind == LedgerTransaction.Kind.DEDUCTIBLE
    assert settled.remainder_amount == D("0.00") and settled.remainder_bearer == ""
    assert legs_of(txn) == {
        driver.user.display_name: D("-500.00"),
        owner.user.display_name: D("500.00"),
    }
    assert_ledger_consistent(association)


def test_by_default_the_owner_side_bears_the_rest_without_a_leg(
    association, admin, owner, driver, incident
):
    assess_incident(
        actor=owner, incident=incident, assessment=Assessment(kind="dent", repair_cost=D("900"))
    )
    settled = _settle(admin, incident, driver, "500")
    assert settled.remainder_amount == D("400.00") and settled.remainder_bearer == "owner"
    assert len(legs_of(settled.ledger_transaction)) == 2


def test_when_the_association_says_so_the_fund_pays_the_rest_in_the_same_transaction(
    association, admin, owner, driver, incident
):
    association.incident_remainder = Association.IncidentRemainder.FUND
    association.save()
    assess_incident(
        actor=owner, incident=incident, assessment=Assessment(kind="dent", repair_cost=D("900"))
    )
    incident.vehicle.association.refresh_from_db()
    settled = _settle(admin, incident, driver, "450")
    assert settled.remainder_amount == D("450.00") and settled.remainder_bearer == "fund"
    assert legs_of(settled.ledger_transaction) == {
        driver.user.display_name: D("-450.00"),
        owner.user.display_name: D("900.00"),
        "fund": D("-450.00"),
    }
    assert_ledger_consistent(association)


def test_co_owners_share_the_charge_and_a_responsible_co_owner_pays_the_other_share(
    association, admin, driver
):
    first, second = (
        MembershipFactory(association=association),
        MembershipFactory(association=association),
    )
    kangoo = tariffed_vehicle(association, owners=[(first, 50), (second, 50)], name="Kangoo")
    incident = report_incident(
        actor=driver, report=Report(vehicle=kangoo, kind="dent", description="Choc")
    )
    settled = _settle(admin, incident, first, "300")
    assert legs_of(settled.ledger_transaction) == {
        first.user.display_name: D("-150.00"),
        second.user.display_name: D("150.00"),
    }
    assert_ledger_consistent(association)


def test_the_deposit_cheque_is_drawn_in_the_same_transaction(association, admin, driver, incident):
    deposit = record_deposit(
        membership=driver,
        amount=D("500"),
        received_on=dt.date(2026, 1, 5),
        cheque_number="0001234",
        bank="Crédit Agricole",
        actor=admin,
    )
    settled = _settle(admin, incident, driver, "450", draw_deposit=True)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.CASHED
    assert (
        deposit.cashed_transaction
        == settled.ledger_transaction
        == LedgerTransaction.objects.get(reference=f"incident:{incident.pk}")
    )
    # The cheque (500) paid the charge (450): the fund owes the driver 50.
    assert balance_of(association, driver) == D("50.00")
    assert legs_of(settled.ledger_transaction)["fund"] == D("-500.00")
    assert_ledger_consistent(association)


def test_drawing_a_deposit_the_driver_never_gave_is_refused(admin, driver, incident):
    with pytest.raises(DomainError) as error:
        _settle(admin, incident, driver, "100", draw_deposit=True)
    assert error.value.code == "no_deposit_held"
    assert not LedgerTransaction.objects.exists()
