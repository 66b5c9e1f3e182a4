"""Shop-floor page tests."""
