"""Live events: the bus interface, its two buses (in-process, Redis) and the one place that chooses between them."""
