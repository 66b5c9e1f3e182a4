"""The web shell: layout, components, i18n, error pages and static files."""
