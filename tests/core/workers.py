"""Worker functions for tests/core/test_bounded.py (run in the worker by dotted path)."""


def allocate(size: int) -> int:
    return len(bytearray(size))


def sqrt_in_a_worker(number: float) -> float:
    """Called in a process of Celery's pool; starts a rendering-style worker from there."""
    from core.bounded import run_in_worker

    return run_in_worker("math.sqrt", number, timeout=20)
