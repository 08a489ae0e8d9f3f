"""Every write of bookings and trips (see docs/ARCHITECTURE.md, "Services")."""
