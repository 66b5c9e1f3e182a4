"""Pure algorithms of the app: plain data in and out, no database and no web."""
