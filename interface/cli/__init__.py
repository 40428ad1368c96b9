"""The command-line door: the `booking` command and what its subcommands print."""
