"""bench/ is not a test suite: its scripts start servers and locust (which must not be
imported next to Django). Keep pytest out even when it is pointed here."""

collect_ignore_glob = ["*.py"]
