"""Operational parts: metrics, request logs, log format. Pure ASGI middleware, configured in main.py."""
