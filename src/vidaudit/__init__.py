"""vidaudit: data validation and quality assurance for video-annotation datasets."""

__version__ = "0.1.0"
