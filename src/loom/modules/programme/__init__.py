"""The programme console: pilots, contractors, projects, targets."""
