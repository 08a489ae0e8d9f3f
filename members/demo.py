"""Demo people of the platform skeleton; the associations come with the members issue."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.models import EmailAddress

from core.demo import DEMO_PASSWORD
from members.models import User

DEMO_USERS = [
    ("admin@villerouge.example", "Alice", "Martin"),
    ("camille@villerouge.example", "Camille", "Roux"),
    ("bruno@villerouge.example", "Bruno", "Lefèvre"),
    ("lea@villerouge.example", "Léa", "Garnier"),
    ("denis@villerouge.example", "Denis", "Moreau"),
    ("admin@saint-martin.example", "Sophie", "Bernard"),
    ("eve@saint-martin.example", "Ève", "Petit"),
]


def seed(log: Callable[[str], None]) -> None:
    for email, first_name, last_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            _verify_email(user)
            log(f"user {email}")


def _verify_email(user: User) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
