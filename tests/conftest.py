from __future__ import annotations

import pytest
from click.testing import CliRunner

import diagnose


@pytest.fixture(scope="session")
def kb() -> diagnose.KnowledgeBase:
    return diagnose.load()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
