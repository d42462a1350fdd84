"""somos_site: a static-site generator for documentary companion sites."""

__version__ = "0.1.0"
