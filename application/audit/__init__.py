"""What auditors ask: a pet's history at any point, the global log, and its verification."""
