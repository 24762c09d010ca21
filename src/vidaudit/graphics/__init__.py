"""Drawing for reports: SVG charts and frame thumbnails (no HTML, no data access)."""
