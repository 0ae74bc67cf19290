"""The second half of the form fuzz's routes (tests/test_form_fuzz.py has the first and the
whole story): a file of its own, so that another worker runs it beside the first."""

from __future__ import annotations

import pytest

from tests.test_form_fuzz import HALVES, fuzz_app, fuzz_half  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


def test_no_generated_form_post_answers_5xx_in_the_second_half(fuzz_app):  # noqa: F811
    assert HALVES == 2
    fuzz_half(fuzz_app, 1)
