"""The channel-agnostic engine: dialogue, cases, storage and live events."""
