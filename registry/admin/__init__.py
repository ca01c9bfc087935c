"""Administration pages: review rounds."""
