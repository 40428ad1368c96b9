"""The original fix, as a plain CRUD service: what event sourcing is compared against."""
