"""The booking domain: pure rules, no I/O, no framework but eventsourcing's domain."""
