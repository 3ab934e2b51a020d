"""The windows: PySide6 widgets, item models and workers. No business rule lives here."""
