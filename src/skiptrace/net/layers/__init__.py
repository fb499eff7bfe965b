"""The session stack's layers, each a small httpx transport; ``net.stack`` puts them in order."""
