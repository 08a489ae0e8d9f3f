"""Reports built from the logbook and the accounts: the annual report of an association."""
