"""Production scheduling (排产, APS): a built-in N scenario app."""
