"""Permission registry, role grants, principals and the route guard."""
