"""Layer 3: reads. Querysets written once, annotated in SQL, shared by every face."""
