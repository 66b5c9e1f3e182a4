"""Shipped subsidy rule sets, one JSON file per published version (``<id>.json``)."""
