"""Services of the subsidy ledger: claims and their facts, awards, payments, the ledger."""
