"""Services of line balancing: solving, hand edits, comparison, publication and exports."""
