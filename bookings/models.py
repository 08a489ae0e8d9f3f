"""bookings models."""
