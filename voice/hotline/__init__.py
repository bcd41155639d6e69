"""The phone hotline: the TwiML webhook dialect in front of the engine, speaking with our own voice files."""
