"""Fixtures for the traffic tests."""

import gc
from collections.abc import Iterator

import pytest

from addons.engine.detect import Detector
from tests.addons import support


@pytest.fixture
def profile_detector() -> Detector:
    return support.profile_detector()


@pytest.fixture
def shape_detector() -> Detector:
    return support.shape_detector()


@pytest.fixture(autouse=True)
def unfrozen_gc() -> Iterator[None]:
    """The addon freezes the proxy's start-up objects out of the GC; never let that leak into other tests."""
    yield
    gc.unfreeze()
