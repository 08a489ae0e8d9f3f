"""The registry of notification kinds and scheduled jobs; it knows no app.

Each app declares its kinds in `<app>/notifications.py` and its jobs in `<app>/scans.py`
(with `core.notices.Kind` and `Job`) and registers them from its AppConfig.ready():

    def ready(self) -> None:
        from bookings import notifications, scans
        from notifications.registry import register_jobs, register_kinds

        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)

members sits below this app and may not import it: NotificationsConfig.ready registers the
kinds and jobs of members (plain declarations) itself. A kind's texts are its app's
templates (`<app>/templates/<app>/notifications/<code>_subject.txt` and `_body.txt`).

A message may carry a file made when its e-mail is sent (`core.notices.Attachment`): the app
that makes it registers its maker by name (`register_attachment_maker("ledger.statement",
statement_pdf)`), as it registers its kinds.
"""

from __future__ import annotations

from core.notices import AttachmentMaker, Job, Kind

_kinds: dict[str, Kind] = {}
_jobs: dict[str, Job] = {}
_attachment_makers: dict[str, AttachmentMaker] = {}


def register_kinds(*kinds: Kind) -> None:
    """Make kinds known (the outbox refuses the others); a code belongs to one app only."""
    for kind in kinds:
        known = _kinds.get(kind.code)
        if known is not None and known.app != kind.app:
            raise ValueError(f"notification kind {kind.code!r} is already {known.app}'s")
        _kinds[kind.code] = kind


def get_kind(code: str) -> Kind | None:
    return _kinds.get(code)


def registered_kinds() -> list[Kind]:
    """Every kind, in registration order (apps in the order of INSTALLED_APPS)."""
    return list(_kinds.values())


def optional_kinds() -> list[Kind]:
    """The kinds a person may turn off or keep out of their mailbox."""
    return [kind for kind in _kinds.values() if kind.optional]


def register_jobs(*jobs: Job) -> None:
    """Add (or replace) scheduled jobs; each needs an entry in carshare/celery.py."""
    for job in jobs:
        _jobs[job.name] = job


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


def get_job(name: str) -> Job | None:
    return _jobs.get(name)


def register_attachment_maker(name: str, maker: AttachmentMaker) -> None:
    """Make an attachment maker known by `name` (`<app>.<what>`, one app's only)."""
    known = _attachment_makers.get(name)
    if known is not None and known is not maker:
        raise ValueError(f"attachment maker {name!r} is already registered")
    _attachment_makers[name] = maker


def get_attachment_maker(name: str) -> AttachmentMaker | None:
    return _attachment_makers.get(name)
