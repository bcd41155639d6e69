"""Storage: SQLAlchemy models, the engine and session factory, and one repository module per table group."""
