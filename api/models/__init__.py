"""The API's request and response bodies (every field documented, with examples)."""
