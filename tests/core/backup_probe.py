"""What a backup must keep, read through the application: the rows of every model, every
party's ledger balance in every association, and the SHA-256 of every stored file.

The round-trip test reads these figures in-process before the backup and runs
`python -m tests.core.backup_probe` (which prints them as JSON) against the restored
database and media store.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def figures() -> dict[str, Any]:
    from django.apps import apps
    from django.core.files.storage import default_storage

    from core.backups.media import stored_names
    from ledger.selectors.balances import balances
    from members.models import Association

    rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    ledger = {
        association.slug: [
            [party.kind, party.name, str(party.balance)] for party in balances(association)
        ]
        for association in Association.objects.order_by("slug")
    }
    files = {}
    for name in stored_names(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    return {"rows": rows, "balances": ledger, "files": files}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(figures()))
