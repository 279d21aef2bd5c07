"""State machines: one transition function records every status change, checked and audited."""
