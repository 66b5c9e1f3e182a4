"""Services of equipment management: rules and audit; they flush, never commit."""
