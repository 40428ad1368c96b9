"""Who a token names: our own HS256 tokens, or the clinic's identity provider's."""
