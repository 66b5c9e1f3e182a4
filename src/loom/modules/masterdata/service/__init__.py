"""Services of the master data: validation, audit and tenant-scoped reads and writes."""
