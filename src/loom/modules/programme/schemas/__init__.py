"""API shapes of the programme console, one file per part."""
