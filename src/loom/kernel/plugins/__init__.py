"""The AppSpec plug-in contract, entry-point discovery and per-organisation enablement."""
