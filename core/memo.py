"""Remembered results: the core's one way to cache a pure function, and to forget them all.

A large tracker repeats itself: the same member IDs, choices, dates, splits and ratios,
thousands of times. A function may be remembered with :func:`remembered` when

- its result depends only on its arguments, which are hashable and immutable;
- its result is immutable, or every caller copies it before changing it;
- arguments that are equal give the same result (a cache finds them by equality, and
  ``1``, ``1.0`` and ``True`` are equal: a function that tells them apart is not remembered).

A refusal (an exception) is never remembered: the same arguments are worked out again and
raise afresh, with the same message. Each cache is bounded; the least recently used results
are forgotten first. :func:`forget` clears every cache, so that a benchmark times a read as
a fresh process runs it, and a test compares a read with and without remembered results.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_CACHES: list[functools._lru_cache_wrapper[Any]] = []


def remembered(maxsize: int) -> Callable[[Callable[..., T]], functools._lru_cache_wrapper[T]]:
    """A decorator: remember up to ``maxsize`` results of a pure function (see the module's rules)."""

    def remember(function: Callable[..., T]) -> functools._lru_cache_wrapper[T]:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached

    return remember


def forget() -> None:
    """Forget every remembered result."""
    for cached in _CACHES:
        cached.cache_clear()


def caches() -> tuple[functools._lru_cache_wrapper[Any], ...]:
    """Every remembered function, for tests and benchmarks."""
    return tuple(_CACHES)
