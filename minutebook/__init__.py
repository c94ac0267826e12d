"""Minutebook: council committee papers in Markdown, published as an accessible static site."""

__version__ = "0.1.0"
