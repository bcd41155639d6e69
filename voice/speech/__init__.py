"""The speech library: text to spoken audio in every format a channel needs (voices, formats, cache, number
reading). Web read-aloud, Telegram and the hotline share one Speaker per process (shared_speaker)."""
