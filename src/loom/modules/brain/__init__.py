"""The apparel industry brain: consented sharing, industry indices, capacity and match-making."""
