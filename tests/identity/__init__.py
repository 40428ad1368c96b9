"""A test OpenID provider on 127.0.0.1, and tests of the service trusting its tokens."""
