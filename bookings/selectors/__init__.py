"""Reads of bookings, always starting from an association, a vehicle or a membership."""
