"""Tests of the balancing pages."""
