"""Order match-making (链式协同): posted orders, the brain's ranking, invitations."""
