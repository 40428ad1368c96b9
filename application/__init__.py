"""Use cases: the PetBookings application, its access rules and its read views."""
