"""Tests of the first-party domain modules."""
