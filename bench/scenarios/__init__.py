"""One module per scenario of issue 5, each with `run(ctx) -> its result`."""
