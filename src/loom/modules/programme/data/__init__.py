"""Action plans shipped with Loom, one JSON document per version."""
