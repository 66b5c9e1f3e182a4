"""Users, password login and API/device tokens."""
