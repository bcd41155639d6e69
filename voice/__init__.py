"""Speech for the phone hotline and Telegram voice answers: cached text to speech, pluggable recognition."""
