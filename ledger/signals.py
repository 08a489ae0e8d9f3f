"""Signals other apps may listen to (the ledger itself sends them after commit)."""

from django.dispatch import Signal

# Sent after a period was closed and committed:
#   sender=Association, association=<Association>, period=<ledger.models.Period>.
# The statements of that period are final from then on (the reminders send them).
period_closed = Signal()
