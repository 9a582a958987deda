"""PySide6 desktop app: tray, main window, dialogs and Qt models over the services."""
