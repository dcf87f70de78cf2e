"""Layer 1: rules that take dates and plain values, and import no catalog or request model."""
