"""Layer 3: writes, with their checks. Keyword-only arguments, typed."""
