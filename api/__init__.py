"""The web front end: the citizen chat page, the chat and ask APIs, and the officer API. Thin: the engine decides."""
