"""Errors the service layer raises for the user; the CLI and GUI show the message."""


class ServiceError(Exception):
    """Bad input or a refused operation: exit 2 in the CLI, a dialog in the GUI."""


class VerificationFailed(Exception):
    """A ledger or bundle check failed: exit 1 in the CLI."""
