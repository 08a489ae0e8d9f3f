"""The one service convention (docs/ARCHITECTURE.md, "Services"), read from the code.

Every service of every app, that is every public function of its `services` modules (when
a module lists `__all__`, those names; its other public functions are helpers of the
package), is called with keyword arguments only and says who acts:

- `actor: Membership`: association-scoped; the service checks the actor's permissions
  itself (members.permissions), so a page, the API, a command and a task cannot disagree;
- `actor: Actor` (Membership | SystemActor): the same, where the platform acts too (a
  nightly scan, an operator's command);
- `user: User`: the person's own account, whichever association (profile, tokens, their
  notifications).

ALLOWED lists the few exceptions, each with its reason. A module may not hide a service
from this test: whatever a module outside its services package imports from it (a view,
the API, a task, a scan, a command, another app) is one of its services.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["members", "notifications", "vehicles", "contracts", "ledger", "bookings"]
# Every app's services follow the convention (issue 13 converted them one app at a time).
CONVERTED = APPS

ACTORS = {"Membership", "Actor"}
USERS = {"User"}

# "module.function": why it takes neither an actor nor a user.
ALLOWED = {
    # The invitee has no account yet: the signed link is their proof.
    "members.services.invitations.accept_invitation_with_new_account": "no account yet",
    # Revokes the token that authenticates the call; the token names its user.
    "members.services.api_tokens.revoke_api_token": "the token is the caller",
    # A platform operator names a new association's first admin from the Django admin
    # (staff, no membership); invite_member is the admins' way, with require_admin.
    "members.services.invitations.invite_to_association": "the operator's Django admin",
    # The founder has no membership yet: a verified account founds an association.
    "members.services.founding.found_association": "the founder, before any membership",
    # The platform's operators (staff, no membership) suspend an association and lift it.
    "members.services.founding.suspend_association": "the operators' Django admin",
    "members.services.founding.lift_suspension": "the operators' Django admin",
    # A visitor of the public page writes to the admins: no account, no membership.
    "members.services.contact.send_contact_message": "a visitor of the public page",
    # The nightly purge goes over every association at once (the platform, no association).
    "members.services.retention.purge_personal_data": "a nightly job over all associations",
}


def services_modules(app: str) -> Iterator[ModuleType]:
    package = importlib.import_module(f"{app}.services")
    yield package
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def defined_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    }


def services_of(module: ModuleType) -> dict[str, Callable[..., Any]]:
    functions = defined_functions(module)
    listed = getattr(module, "__all__", None)
    if listed is None:
        return functions
    return {name: function for name, function in functions.items() if name in listed}


def annotation_name(parameter: inspect.Parameter) -> str:
    annotation = parameter.annotation
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")


def convention_breaks(qualified: str, function: Callable[..., Any]) -> list[str]:
    parameters = inspect.signature(function).parameters
    breaks = [
        f"{qualified}: `{name}` is not keyword-only"
        for name, parameter in parameters.items()
        if parameter.kind not in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD)
    ]
    if qualified in ALLOWED:
        return breaks
    actor, user = parameters.get("actor"), parameters.get("user")
    if actor is not None and annotation_name(actor) not in ACTORS:
        breaks.append(f"{qualified}: `actor` is {annotation_name(actor)!r}, not a Membership")
    if actor is None and (user is None or annotation_name(user) not in USERS):
        breaks.append(f"{qualified}: takes no `actor: Membership` (nor `user: User`)")
    return breaks


@pytest.mark.parametrize("app", CONVERTED)
def test_services_are_keyword_only_and_say_who_acts(app):
    breaks = [
        problem
        for module in services_modules(app)
        for name, function in services_of(module).items()
        for problem in convention_breaks(f"{module.__name__}.{name}", function)
    ]
    assert not breaks, "\n".join(breaks)


def imports_from_services(path: Path) -> Iterator[tuple[str, str]]:
    """(services module, name) of every `from x.services[.y] import name` of a file, and of
    every `alias.name` used on a services module imported as `alias`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
            continue
        if node.module.split(".")[:2][-1:] != ["services"] or node.module.count(".") > 2:
            continue
        for alias in node.names:
            submodule = f"{node.module}.{alias.name}"
            if _is_module(submodule):
                aliases[alias.asname or alias.name] = submodule
            else:
                yield node.module, alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            yield aliases[node.value.id], node.attr


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


# "module.function" that modules outside the services package may call although it is no
# service (no write, no actor): reads the pages share with the services, with the reason.
READS = {
    # The period page shows the sharing plan that closing the period will post.
    "ledger.services.sharing.expense_sharing_plan": "the plan the close posts",
    # The deposit page pre-fills the least deposit the service will accept.
    "ledger.services.contributions.required_deposit": "the least deposit the service takes",
    # The payment and expense pages name the accounts the services post to.
    "ledger.services.accounts.party_account": "the account a page's choice names",
    # The Django admin's invitation form refuses a current member before inviting.
    "members.services.invitations.refuse_current_member": "the operator form's check",
    # Pages, the API and the import check an address the way the services do.
    "members.services.profiles.check_address": "the shared address check",
    # The outbox's delivery renders a closed period's statement when it sends the e-mail.
    "ledger.services.statement_mail.statement_attachment": "the statement e-mail's PDF",
    # The all-statements PDF prints the members the statements go to.
    "ledger.services.statement_mail.concerned_members": "who a period's statements concern",
    # The member's account page shows the reference the bank import matches.
    "ledger.services.bank.payment_reference": "the reference the import matches",
    # The settlement page names each transfer's parties as the service does.
    "ledger.services.settlement.party_key": "the settlement form's keys",
    # The booking pages show the estimate and offer the late return as the services decide.
    "bookings.services.charges.estimated_cost": "the booking page's estimate",
    "bookings.services.bookings.late_report_open": "whether the page offers a late return",
    # The announcement page and the API read the audience the same way.
    "bookings.services.announcements.parse_audience": "the audience the page and API name",
    # The public page's contact form names the sender by a keyed hash of their address.
    "members.services.contact.sender_key": "the contact form's sender key",
    # The profile page and the API check an IBAN the way the service does.
    "members.services.banking.checked_iban": "the shared IBAN check",
    # The bench seeder builds legs the way the posting service does, in bulk.
    "ledger.services.accounts.split_over": "bench seeding",
    "ledger.services.posting.net_legs": "bench seeding",
}


def callers_outside(app: str) -> Iterator[Path]:
    """Every module of the project but those of `app`'s services package."""
    own = ROOT / app / "services"
    for folder in [*APPS, "carshare", "core"]:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / app / "services.py":
                continue
            if own not in path.parents:
                yield path


@pytest.mark.parametrize("app", CONVERTED)
def test_what_other_modules_call_is_a_listed_service(app):
    hidden = set()
    for path in callers_outside(app):
        for module_name, name in imports_from_services(path):
            if module_name.split(".")[0] != app:
                continue
            module = importlib.import_module(module_name)
            function = getattr(module, name, None)
            if not inspect.isfunction(function) or function.__module__ != module_name:
                continue  # a dataclass, a constant, or a service re-exported by the package
            if name not in services_of(module) and f"{module_name}.{name}" not in READS:
                hidden.add(f"{path.relative_to(ROOT)} calls {module_name}.{name}")
    assert not hidden, "\n".join(sorted(hidden))
