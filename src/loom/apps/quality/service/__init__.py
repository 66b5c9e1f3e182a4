"""Rules of the quality app: they validate, audit and flush, never commit."""
