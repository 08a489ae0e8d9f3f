"""Pages of bookings: thin views that parse a form, call one service and render."""
