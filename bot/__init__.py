"""Telegram front end (aiogram 3): parses updates into the engine's Incoming and renders its replies."""
