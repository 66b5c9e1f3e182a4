"""Loom app: track cut pieces sent out for embroidery, printing or washing and what comes back."""

SLUG = "subcontract"
__version__ = "0.1.0"
