"""The proof gallery and the live preview server."""
