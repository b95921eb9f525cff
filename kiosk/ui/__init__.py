"""The Qt window: a thin shell over one screen per file.  The only place Qt is imported."""
