"""The rate limit's count on Redis, as production keeps it: one round trip per enquiry, and a
count that always ends with its window, so no address is locked out for good."""

import os

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL, a Redis database kept for tests"
)

WINDOW_SECONDS = 60


def test_a_count_starts_with_its_window_and_counts_up_in_it():
    counts = caches["ratelimit"]

    assert [counts.count_in_window("address", seconds=WINDOW_SECONDS) for _ in range(3)] == [1, 2, 3]
    assert counts.get_integer("address") == 3
    assert counts.get("address") == 3


def test_counting_never_moves_the_end_of_the_window():
    counts = caches["ratelimit"]
    counts.count_in_window("address", seconds=WINDOW_SECONDS)
    counts.expire("address", timeout=5)

    counts.count_in_window("address", seconds=WINDOW_SECONDS)

    assert 0 < counts.ttl("address") <= 5


def test_a_count_whose_window_has_ended_starts_again_with_a_new_window():
    counts = caches["ratelimit"]
    counts.count_in_window("address", seconds=WINDOW_SECONDS)
    counts.delete("address")  # What Redis does when the window ends.

    assert counts.count_in_window("address", seconds=WINDOW_SECONDS) == 1
    assert 0 < counts.ttl("address") <= WINDOW_SECONDS
