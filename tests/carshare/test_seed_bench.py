import io
import json
from collections import Counter
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carshare.bench_seeding import seed_all
from core.bench_seeding import BENCH_PASSWORD, BenchScale
from members.models import Association, DriverProfile, Membership, User
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership

pytestmark = pytest.mark.django_db

TINY = ["--associations", "2", "--vehicles", "3", "--months", "2"]


def seed_tiny(*extra, stderr=None):
    call_command("seed_bench", *TINY, *extra, stdout=io.StringIO(), stderr=stderr or io.StringIO())


def test_seed_bench_creates_associations_members_and_vehicles(settings):
    settings.DEBUG = True
    seed_tiny()
    assert Association.objects.count() == 2
    for association in Association.objects.all():
        people = Membership.objects.filter(association=association)
        assert 20 <= people.count() <= 40
        assert people.filter(role="admin", status="active").exists()
        assert Vehicle.objects.filter(association=association).count() == 3
    assert DriverProfile.objects.count() == User.objects.count() == Membership.objects.count()
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()


def test_every_bench_vehicle_is_insured_priced_and_owned_in_full(settings):
    settings.DEBUG = True
    seed_tiny()
    for vehicle in Vehicle.objects.all():
        assert InsurancePolicy.objects.filter(vehicle=vehicle, is_active=True).count() == 1
        assert Tariff.objects.filter(vehicle=vehicle).exists()
        shares = [o.share for o in VehicleOwnership.objects.filter(vehicle=vehicle)]
        if vehicle.owner_kind in {"member", "co_owners"}:
            assert sum(shares) == Decimal("100")
        else:
            assert shares == []


def test_bench_accounts_log_in_with_the_bench_password(settings, tmp_path):
    settings.DEBUG = True
    seed_tiny("--accounts-out", str(tmp_path / "accounts.json"))
    summary = json.loads((tmp_path / "accounts.json").read_text())
    assert summary["scale"] == {"associations": 2, "vehicles": 3, "months": 2, "seed": 2024}
    assert summary["counts"]["vehicles.Vehicle"] == 6
    roles = Counter(account["role"] for account in summary["accounts"])
    assert roles == {"admin": 2, "member": 2}
    for account in summary["accounts"]:
        user = User.objects.get(email=account["email"])
        assert user.check_password(BENCH_PASSWORD)
        membership = Membership.objects.get(pk=account["membership_id"])
        assert (membership.association.slug, membership.role) == (account["slug"], account["role"])
        assert Vehicle.objects.get(pk=account["vehicle_id"]).association == membership.association


def test_seed_bench_draws_a_progress_bar_on_stderr(settings):
    settings.DEBUG = True
    stderr = io.StringIO()
    seed_tiny(stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert any(line.startswith("members.User") and "100%" in line for line in lines)
    assert any(line.startswith("vehicles.Vehicle") and "6/6" in line for line in lines)


def test_inserts_are_batched_far_fewer_queries_than_rows():
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        ctx = seed_all(BenchScale(associations=10, vehicles=2, months=1), out=io.StringIO())
        transaction.set_rollback(True)
    rows = sum(ctx.counts.values())
    assert rows > 1000
    # INSERTs only: the few reads per bench account (its agreement made by the services,
    # the eligibility of the vehicles it books) do not grow with the rows.
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) * 20 < rows, (len(inserts), rows)


def test_same_seed_gives_the_same_data():
    def snapshot(seed: int) -> list[tuple[str, str]]:
        with transaction.atomic():
            seed_all(BenchScale(associations=2, vehicles=2, months=1, seed=seed), out=io.StringIO())
            rows = list(Vehicle.objects.order_by("pk").values_list("plate", "association__slug"))
            rows += list(User.objects.order_by("pk").values_list("email", "last_name"))
            transaction.set_rollback(True)
        return rows

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


def test_seed_bench_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed_tiny()
    assert not User.objects.exists()
    seed_tiny("--force")
    assert Association.objects.count() == 2


def test_seed_bench_refuses_a_database_that_has_associations(settings, association):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="without associations"):
        seed_tiny()
    assert Association.objects.count() == 1
