"""factory_boy factories, one module per app (tests mirror the code tree)."""
