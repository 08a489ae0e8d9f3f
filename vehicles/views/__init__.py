"""Pages of the fleet under /<association-slug>/vehicles/ (see vehicles/urls.py)."""
