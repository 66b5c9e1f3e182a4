"""Tests of the energy app."""
