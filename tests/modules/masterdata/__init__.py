"""Tests of the garment master data."""
