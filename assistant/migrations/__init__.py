"""Alembic migrations of the engine's schema. `citizen-help serve` applies them; `assistant.migrate` is the API."""
