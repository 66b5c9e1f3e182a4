"""Tests of the quality app."""
