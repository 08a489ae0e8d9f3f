"""Worker functions for tests/core/test_bounded.py (run in the worker by dotted path)."""


def allocate(size: int) -> int:
    return len(bytearray(size))
