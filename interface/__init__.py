"""The doors (http/, cli/) and what they share: settings, the composition root, JSON shapes."""
