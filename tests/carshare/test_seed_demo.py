import pytest
from django.core.management import CommandError, call_command

from members.models import Association, Membership, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Association.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert counts == (User.objects.count(), Association.objects.count(), Membership.objects.count())
    assert User.objects.get(email="camille@villerouge.example").check_password("demo-carshare")
    assert Membership.objects.get(user__email="denis@villerouge.example").status == "pending"


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
