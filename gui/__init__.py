"""The window: thin widgets over core services."""
