"""Rules of the energy app: meters, readings, revenue and the figures made from them."""
