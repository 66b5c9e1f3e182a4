"""Organisations (the tenants), memberships and the scope type."""
