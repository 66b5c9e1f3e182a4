"""Equipment management and OEE: a built-in N scenario app."""
