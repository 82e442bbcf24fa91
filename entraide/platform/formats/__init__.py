"""Date and number formats the project adjusts (``FORMAT_MODULE_PATH``)."""
