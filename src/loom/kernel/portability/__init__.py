"""Per-organisation export and import (data portability and restore)."""
