"""French first: every catalogue of the project is complete, with no fuzzy entry."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and ".tools" not in path.parts
)


def test_catalogues_exist():
    assert len(CATALOGUES) >= 7


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_french_translation(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy}"


# Django merges the apps' catalogues into one: for a message in several catalogues the first
# app in INSTALLED_APPS wins, so two translations of one message show only one of them in
# both apps. These pairs are interchangeable wherever they appear; any other disagreement
# needs a context (`{% translate "To" context "recipient" %}`, `pgettext_lazy`).
SYNONYMS = {
    "kind": {"nature", "type"},
    "status": {"état", "statut"},
    "Status": {"État", "Statut"},
    "damage": {"dommage", "dégâts"},
    "No vehicle yet.": {"Pas encore de véhicule.", "Aucun véhicule pour l'instant."},
    "Search": {"Rechercher", "Chercher"},
}


def test_a_message_shared_by_two_apps_has_one_meaning():
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            msgstr = entry.msgstr or entry.msgstr_plural.get(0, "")
            translations.setdefault((entry.msgctxt, entry.msgid), {})[str(path)] = msgstr
    conflicts = {
        key: by_path
        for key, by_path in translations.items()
        if len(set(by_path.values())) > 1
        and not (key[0] is None and set(by_path.values()) <= SYNONYMS.get(key[1], set()))
    }
    assert not conflicts, conflicts
