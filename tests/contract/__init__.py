"""The library's recorder conformance tests run against our PostgreSQL store; our own probes."""
