"""The HTTP contract in process: create_app behind httpx's ASGITransport, lifespan and all."""
