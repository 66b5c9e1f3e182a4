"""Services of production scheduling: rules and audit; they flush, never commit."""
