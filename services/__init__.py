"""Service layer: what the CLI and the API call to run jobs (lifecycle, wiring, runners)."""
