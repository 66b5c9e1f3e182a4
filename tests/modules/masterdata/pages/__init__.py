"""Browser pages of the garment master data."""
