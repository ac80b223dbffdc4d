"""Fixtures for the traffic tests."""

import pytest

from addons.detect import Detector
from tests.addons import support


@pytest.fixture
def profile_detector() -> Detector:
    return support.profile_detector()


@pytest.fixture
def shape_detector() -> Detector:
    return support.shape_detector()
