"""Pages of contracts: agreements, printable documents, template editing."""
