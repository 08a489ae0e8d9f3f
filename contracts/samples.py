"""Sample contexts of each document kind: fictional people and a fictional car.

They show the shape of each context (the same keys as the real builders of
contracts.context, which a test checks), fill the editor's preview, and warm up the
rendering workers. Plain Python only: the fork server imports this without Django.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
PARIS = ZoneInfo("Europe/Paris")


def sample_person(first: str = "Camille", last: str = "Durand") -> dict[str, Any]:
    return {
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}",
        "email": f"{first.lower()}@example.org",
        "phone": "06 12 34 56 78",
        "address": "4 rue du Lavoir, 63000 Clermont-Ferrand",
        "birth_date": dt.date(1984, 5, 17),
        "birth_place": "Clermont-Ferrand (Puy-de-Dôme)",
        "joined_on": dt.date(2024, 9, 1),
        "licence": {
            "number": "12AB34567",
            "issued_on": dt.date(2003, 6, 2),
            "issued_by": "Préfecture du Puy-de-Dôme",
            "expires_on": None,
        },
    }


def sample_vehicle() -> dict[str, Any]:
    return {
        "name": "La Clio bleue",
        "make": "Renault",
        "model": "Clio",
        "plate": "AB-123-CD",
        "first_registered_on": dt.date(2017, 4, 12),
        "energy": "petrol",
        "gearbox": "manual",
        "seats": 5,
        "parking_place": "Devant le 4, rue du Lavoir",
        "key_mode": "hand",
        "key_arrangement": "",
        "accessories": ["Gilet jaune et triangle", "Roue de secours", "Câbles de démarrage"],
        "usage_rules": ["Non-fumeur", "Animaux en caisse de transport"],
        "usual_radius_km": 100,
        "owner_kind": "member",
        "roadworthiness": {"last_on": dt.date(2025, 3, 3), "valid_until": dt.date(2027, 3, 2)},
    }


def sample_lender() -> dict[str, Any]:
    return {
        "kind": "member",
        "name": "Dominique Martin",
        "owners": [
            {"full_name": "Dominique Martin", "email": "dominique@example.org", "share": 100}
        ],
        "registration_holder": "Dominique Martin",
    }


def sample_tariff() -> dict[str, Any]:
    return {
        "valid_from": dt.date(2025, 1, 1),
        "price_per_km": Decimal("0.300"),
        "price_per_hour": None,
        "daily_hour_cap": None,
        "fuel_policy": "included",
    }


def sample_agreement() -> dict[str, Any]:
    deductible = Decimal("500.00")
    driver = sample_person() | {"is_owner": False, "young_driver": False}
    return {
        "vehicle": sample_vehicle(),
        "lender": sample_lender(),
        "driver": driver,
        "insurance": {
            "insurer": "Mutuelle Exemple",
            "policy_number": "POL-000123",
            "cover": "comprehensive",
            "valid_from": dt.date(2025, 1, 1),
            "valid_until": None,
            "deductible": deductible,
            "young_driver_rule": "higher_deductible",
            "young_driver_deductible": Decimal("1000.00"),
            "min_driver_age": 21,
            "min_licence_years": 2,
            "substitute_policy": "",
        },
        "deductible": deductible,
        "tariff": sample_tariff(),
        "deposit": {"required": True, "amount": deductible},
    }


def sample_membership_form() -> dict[str, Any]:
    return {"member": sample_person()}


def sample_logbook() -> dict[str, Any]:
    return {
        "vehicle": sample_vehicle(),
        "lender": sample_lender(),
        "tariff": sample_tariff(),
        "rows": 40,
    }


def sample_handover_checklist() -> dict[str, Any]:
    return {
        "vehicle": sample_vehicle(),
        "lender": sample_lender(),
        "driver": sample_person(),
        "booking": {
            "reference": "R-2025-0042",
            "starts_at": dt.datetime(2025, 3, 8, 9, 0, tzinfo=PARIS),
            "ends_at": dt.datetime(2025, 3, 8, 18, 30, tzinfo=PARIS),
        },
    }


SAMPLE_HOLDER = {
    "full_name": "Dominique Martin",
    "address": "12 chemin des Écoliers, 63000 Clermont-Ferrand",
    "kind": "member",
}


def sample_driver_designation() -> dict[str, Any]:
    return {
        "vehicle": sample_vehicle(),
        "holder": SAMPLE_HOLDER,
        "holders": [SAMPLE_HOLDER],
        "driver": sample_person(),
        "agreement": {"signed_on": dt.date(2024, 9, 14)},
        "fine": {
            "notice_number": "1234567890",
            "offence_at": dt.datetime(2025, 3, 8, 14, 12, tzinfo=PARIS),
            "place": "RD 2089, Pont-du-Château",
            "offence": "Excès de vitesse inférieur à 20 km/h",
        },
    }


def sample_member_statement() -> dict[str, Any]:
    return {
        "member": sample_person(),
        "period": {"start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 31)},
        "opening_balance": Decimal("12.40"),
        "lines": [
            {
                "date": dt.date(2025, 3, 8),
                "label": "Trajet La Clio bleue, 84 km",
                "reference": "R-2025-0042",
                "debit": Decimal("25.20"),
                "credit": None,
                "balance": Decimal("37.60"),
            },
            {
                "date": dt.date(2025, 3, 9),
                "label": "Ticket de carburant",
                "reference": "",
                "debit": None,
                "credit": Decimal("30.00"),
                "balance": Decimal("7.60"),
            },
        ],
        "totals": {"debit": Decimal("25.20"), "credit": Decimal("30.00")},
        "closing_balance": Decimal("7.60"),
    }


def sample_statutes() -> dict[str, Any]:
    return {"founding": {"founded_on": dt.date(2025, 3, 1)}}


def sample_internal_rules() -> dict[str, Any]:
    insurance = sample_agreement()["insurance"]
    return {
        "cars": [
            {
                "name": "La Clio bleue",
                "make": "Renault",
                "model": "Clio",
                "energy": "petrol",
                "key_mode": "hand",
                "tariff": sample_tariff(),
                "insurance": insurance,
            },
            {
                "name": "La Zoé de la mairie",
                "make": "Renault",
                "model": "Zoé",
                "energy": "electric",
                "key_mode": "spare",
                "tariff": sample_tariff()
                | {"price_per_km": Decimal("0.180"), "price_per_hour": Decimal("1.00")},
                "insurance": insurance | {"young_driver_rule": "allowed"},
            },
        ]
    }
