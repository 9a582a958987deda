"""Handlers of the `hourproof` subcommands; each is thin over the service layer."""
