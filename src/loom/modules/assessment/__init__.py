"""National SME digital-level assessment (2024 index): rule sets, scoring engine and CLI."""
