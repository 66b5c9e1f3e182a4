"""Services of the programme console: rules and audit; they flush, never commit."""
