"""The HTTP door: the FastAPI app, its routes, schemas, problems, auth dependencies, middleware."""
