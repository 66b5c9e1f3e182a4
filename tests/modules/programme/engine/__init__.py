"""Tests of the programme engine (pure code, no database)."""
