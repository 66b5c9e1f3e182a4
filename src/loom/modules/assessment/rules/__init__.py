"""Shipped assessment rule sets, one JSON file per published version."""
