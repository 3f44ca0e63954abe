"""The PySide6 desktop app. Only this package imports Qt; it calls rmadapter_app.core for all work."""
