"""Sewing line balancing (工序编排 / 产线平衡): a built-in N scenario app."""
