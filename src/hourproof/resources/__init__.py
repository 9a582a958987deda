"""Runtime assets (icons) read with importlib.resources; sources live in /resources."""
