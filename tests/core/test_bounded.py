import time

import pytest

from core.bounded import WorkerError, WorkerTimeout, run_in_worker


def test_the_worker_returns_the_result_of_the_named_function():
    assert run_in_worker("math.sqrt", 16, timeout=20) == 4.0


def test_an_exception_in_the_worker_comes_back_with_its_type():
    with pytest.raises(WorkerError, match="ValueError"):
        run_in_worker("math.sqrt", -1, timeout=20)


def test_a_worker_that_dies_without_answering_is_an_error():
    with pytest.raises(WorkerError, match="died"):
        run_in_worker("os._exit", 3, timeout=20)


def test_a_worker_that_runs_too_long_is_killed_at_the_time_limit():
    run_in_worker("math.sqrt", 1, timeout=20)  # the fork server is up: time only the worker
    started = time.monotonic()
    with pytest.raises(WorkerTimeout):
        run_in_worker("time.sleep", 30, timeout=0.5)
    assert time.monotonic() - started < 10


def test_the_worker_memory_can_be_capped():
    mib = 1024 * 1024
    assert run_in_worker("tests.core.workers.allocate", 64 * mib, timeout=20) == 64 * mib
    assert (
        run_in_worker(
            "tests.core.workers.allocate", 64 * mib, timeout=20, memory_headroom=256 * mib
        )
        == 64 * mib
    )
    with pytest.raises(WorkerError, match="MemoryError"):
        run_in_worker(
            "tests.core.workers.allocate", 1024 * mib, timeout=20, memory_headroom=256 * mib
        )


def test_a_process_of_celerys_pool_can_start_workers():
    from billiard import Pool

    from tests.core.workers import sqrt_in_a_worker

    run_in_worker("math.sqrt", 1, timeout=20)  # this process's fork server is running
    with Pool(1) as pool:  # forks this process: the pool process needs its own
        assert pool.apply(sqrt_in_a_worker, (16,)) == 4.0
