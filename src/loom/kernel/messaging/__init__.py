"""MQTT connectivity for the shop floor (devices publish, ingest workers subscribe)."""
