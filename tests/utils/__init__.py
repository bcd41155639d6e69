"""Helpers shared by the test packages: databases, a clock, a collecting chat channel, factories."""
