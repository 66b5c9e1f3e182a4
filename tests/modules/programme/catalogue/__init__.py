"""Tests of the 小快轻准 product catalogue and of a project's plan to level 2."""
