"""Lets fixtures see whether the test failed (request.node.rep_call), e.g. for screenshots;
puts tests/ on the path for the shared sample records (tests/sample.py)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
