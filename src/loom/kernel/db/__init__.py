"""Database base classes, sessions and tenant-scoped repositories."""
