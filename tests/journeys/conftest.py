"""One Debian Chromium per journey module (Playwright), required in CI."""

import pytest

from tests.chromium import launched_chromium


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as browser:
        yield browser
