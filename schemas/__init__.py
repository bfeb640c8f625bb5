"""Pydantic models of the public contract."""
