"""Shop-floor execution: production orders, cutting, bundles, scan events and what they update."""
