"""Reads of the ledger, always starting from an association (or a member of it)."""
