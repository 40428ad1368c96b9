"""The outside world: HTTP, the CLI, settings and the composition root."""
