"""Framework-level helpers every app may use: not a Django app, no models, and it imports
no ``entraide`` app (docs/adr/0002-layers.md)."""
