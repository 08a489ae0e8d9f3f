"""Django's database sessions, read by a query compiled once per process (core.prepared):
the session is read on every signed-in request. `SESSION_ENGINE = "core.sessions"`; writes,
expiry and `clearsessions` are Django's own."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import PreparedQuery, field_names, instance

_SESSION = PreparedQuery(
    lambda session_key, now: Session.objects.filter(
        session_key=session_key, expire_date__gt=now
    ).values_list(*field_names(Session)),
    session_key=str,
    now=dt.datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        rows = _SESSION.rows(session_key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None  # as Django's: unknown or expired, a new one is made
            return None
        return instance(Session, rows[0])
