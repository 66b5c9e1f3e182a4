"""Tests of the programme console."""
