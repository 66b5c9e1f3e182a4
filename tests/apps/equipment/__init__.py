"""Tests of the equipment app."""
