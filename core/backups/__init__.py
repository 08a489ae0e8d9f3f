"""Backups of the whole installation: `manage.py backup PATH` and `manage.py restore PATH`.

One archive holds a consistent database snapshot, every media file and a manifest (rows per
table, migrations, SHA-256 of every file); see docs/DEPLOY.md for the schedule and the drill.
"""
