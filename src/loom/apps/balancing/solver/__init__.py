"""Pure line-balancing algorithms: plain data in and out, no database and no web."""
