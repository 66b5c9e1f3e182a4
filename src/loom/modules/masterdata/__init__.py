"""Garment master data: styles, the operation library, versioned piece rates and routings."""
