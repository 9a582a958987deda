"""hourproof — a time tracker that proves hours without surveillance."""

__version__ = "0.1.0"
