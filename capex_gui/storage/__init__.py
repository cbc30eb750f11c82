"""Storage: the only layer that knows SQLAlchemy and SQL."""
