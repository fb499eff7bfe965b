"""What the shipped registry connectors make of their sources' real recorded answers: which
address is the mailing one, whether an employment is current, how fresh a record is. Each
replays through the real guard and session stack against a loopback server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skiptrace.connectors._model import Example, ReplySpec
from skiptrace.connectors._registry import discover
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.policy import Policy
from skiptrace.testing.contracts import replay_example

BUILTIN = discover(entry_points=False)
FIXTURES = Path(__file__).resolve().parents[2] / "connectors" / "fixtures"


def _replay(
    connector_id: str, query: dict[str, str], replies: list[ReplySpec], policy: Policy, tmp: Path
) -> ConnectorResult:
    """``connector_id`` searched for ``query`` against ``replies`` (files under fixtures/)."""
    example = Example("review", query, tuple(replies), "hit", None, {})
    result, _ = asyncio.run(replay_example(BUILTIN.connectors[connector_id], example, policy, tmp))
    return result


def _file(path: str, name: str, **match: str) -> ReplySpec:
    return ReplySpec(path, FIXTURES / name, match=match)


def test_an_appointment_at_a_dissolved_company_is_no_current_employment(
    policy: Policy, tmp_path: Path
) -> None:
    """The register leaves an appointment without ``resigned_on`` when its company is
    dissolved: the recorded officer's one such appointment (WCR VEHICLE HIRE LIMITED,
    dissolved, appointed 2010) was given as his current employer."""
    result = _replay(
        "companies_house",
        {"full_name": "Allan David Horley"},
        [
            _file("/search/officers", "companies_house/search_officers_horley.json"),
            _file(
                "/officers/BUzLMub_QilQ_HNnIUxLkZrs5KM/appointments",
                "companies_house/appointments_allan_david_horley.json",
            ),
            _file("/company/07133481", "companies_house/company_candour.json"),
        ],
        policy,
        tmp_path,
    )
    assert [r.employer for r in result.records] == []
    assert result.status == "no_result"
    assert result.detail == "no current appointment: 1 at a dissolved company, 2 resigned"
