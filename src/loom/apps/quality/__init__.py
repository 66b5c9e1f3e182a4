"""Quality management: a built-in N scenario app."""
