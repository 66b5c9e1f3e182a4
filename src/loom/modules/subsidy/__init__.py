"""Subsidies and awards of the action plan (四(四)): versioned rules, a pure engine and a CLI."""
