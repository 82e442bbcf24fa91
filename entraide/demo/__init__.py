"""The demo loader: the one place that orchestrates every app's demo module (territory,
volunteers and organisations, requests and offers, a batch of matching). It sits above
every app (docs/adr/0002-layers.md); no app imports it."""
