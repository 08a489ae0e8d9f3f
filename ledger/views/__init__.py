"""Pages of the ledger, by audience: members (views.member) and admins (the others)."""
