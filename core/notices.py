"""What an app says to the notifications outbox, in words every app may import.

DESIGN.md puts `notifications/` above members (members <- notifications <- vehicles …):
members may not import it, yet members declares kinds and jobs and queues messages
(invitations, licence and fee reminders) like every other app. So the words of that
exchange live on the ground floor: a kind of notification (`Kind`), a message to one person
(`Message`, with an optional `Attachment` made when it is e-mailed), a scheduled job (`Job`)
and what one run counted (`ScanCounts`), and the one
entry point `queue_notifications`, which the notifications app connects to its outbox at
start-up (notifications/apps.py). The registry of kinds and jobs, the outbox, delivery and
the pages belong to the notifications app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    """A kind of notification, declared by the app that sends it (`<app>/notifications.py`).

    Its texts are the app's templates `<app>/notifications/<code>_subject.txt` and
    `<code>_body.txt`, rendered with plain data in the recipient's language. An optional kind
    follows each person's preferences; an essential one (an insurance, safety or money risk,
    or someone waiting on the recipient) always goes out."""

    app: str
    code: str
    label: str | Promise
    optional: bool = False

    def __str__(self) -> str:
        return self.code

    @property
    def subject_template(self) -> str:
        return f"{self.app}/notifications/{self.code}_subject.txt"

    @property
    def body_template(self) -> str:
        return f"{self.app}/notifications/{self.code}_body.txt"


class Person(Protocol):
    """A recipient with an account (members.User)."""

    @property
    def pk(self) -> Any: ...
    @property
    def email(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def is_active(self) -> bool: ...


class Tenant(Protocol):
    """The association a notification belongs to (members.Association)."""

    @property
    def pk(self) -> Any: ...
    @property
    def tz(self) -> ZoneInfo: ...


@dataclass(frozen=True)
class Attachment:
    """A file joined to a notification's e-mail, made when the e-mail is sent (nothing is
    stored): `maker` names a function its app registered with
    `notifications.registry.register_attachment_maker`, `params` are the plain JSON data it
    takes (ids, a period key). A person who reads their notifications in the app only gets
    no file: the message's link leads to the same document."""

    maker: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"maker": self.maker, "params": dict(self.params)}


@dataclass(frozen=True)
class AttachedFile:
    """What an attachment maker returns."""

    filename: str
    content: bytes
    mimetype: str


class AttachmentNotReady(Exception):
    """An attachment maker cannot make its file now (the PDF workers are busy or slow):
    the delivery tries the notification again later, as after a refused connection."""


AttachmentMaker = Callable[[Mapping[str, Any]], AttachedFile]


@dataclass(frozen=True)
class Message:
    """A notification to create. `key` names the object and the occasion ("booking:42:24h");
    the kind's code is prefixed to it. `context` holds plain data for the kind's templates.

    A person with an account is its `recipient`; someone without one yet (an invitee) is
    reached at `email`, in `language`, by e-mail only."""

    recipient: Person | None
    kind: Kind
    key: str
    association: Tenant | None
    context: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""
    email: str = ""
    language: str = ""
    attachment: Attachment | None = None

    def __post_init__(self) -> None:
        if (self.recipient is None) == (not self.email):
            raise ValueError("a message goes to a recipient or to an e-mail address, not both")

    @property
    def full_key(self) -> str:
        return f"{self.kind.code}:{self.key}"

    @property
    def recipient_key(self) -> tuple[str, Any]:
        """Who gets it, for de-duplication: ("user", pk) or ("email", address)."""
        if self.recipient is not None:
            return ("user", self.recipient.pk)
        return ("email", self.email)


@dataclass
class QueueResult:
    """What a batch created: the ids to send and how many notifications per association."""

    created: int = 0
    pending_ids: list[int] = field(default_factory=list)
    by_association: Counter[int] = field(default_factory=Counter)


@dataclass
class ScanCounts:
    """How many rows a scan looked at and how many notifications it created (and sent)."""

    checked: int = 0
    created: int = 0
    sent: int = 0
    by_association: Counter[int] = field(default_factory=Counter)

    def add(self, result: QueueResult) -> None:
        self.created += result.created
        self.by_association.update(result.by_association)


ScanFunction = Callable[..., ScanCounts]


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name (for `run_scans` and the beat schedule), a label and a
    schedule for people, and the function it runs: `run(*, now) -> ScanCounts`, which
    computes from database state what is due at `now` and queues it (idempotent)."""

    name: str
    label: str | Promise
    schedule: str | Promise
    run: ScanFunction


Outbox = Callable[[Iterable[Message]], QueueResult]
_outbox: dict[str, Outbox] = {}


def connect_outbox(outbox: Outbox) -> None:
    """Called once by the notifications app at start-up."""
    _outbox["queue"] = outbox


def queue_notifications(messages: Iterable[Message]) -> QueueResult:
    """Create the notifications that do not exist yet (one per recipient and key) and queue
    their sending after commit; call it inside the transaction that decided them."""
    if "queue" not in _outbox:
        raise ImproperlyConfigured("The notifications app is not installed.")
    return _outbox["queue"](messages)


def link(url_name: str, **kwargs: Any) -> str:
    """A site path for a notification, or "" when the page does not exist (yet)."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
