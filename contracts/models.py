"""contracts models."""
