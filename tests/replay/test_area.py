"""Area incidents: many tickets of one problem in one area within the window."""

from __future__ import annotations

from datetime import datetime, timedelta

from diagnose._replay.area import AreaWatch

START = datetime(2024, 3, 1, 9, 0)


def test_a_burst_of_one_problem_is_an_incident_and_a_trickle_is_not(kb) -> None:
    watch = AreaWatch(kb.knowledge)
    threshold = kb.knowledge.settings.thresholds["area_incident"]
    window = watch.window
    problem = watch.problem(734)
    assert problem == "broadband.connection_broken" and watch.problem(676) is None
    counts = [watch.observe(n, "南港", START + timedelta(minutes=n), problem)
              for n in range(1, threshold + 3)]  # fmt: skip
    assert counts == list(range(1, threshold + 3))
    # the same number spread wider than the window elsewhere: never an incident
    for n in range(threshold + 3):
        assert watch.observe(100 + n, "城区", START + n * (window + timedelta(minutes=1)),
                             problem) == 1  # fmt: skip
    (incident,) = watch.incidents
    assert (incident.area, incident.problem) == ("南港", problem)
    assert (incident.first_row, incident.last_row) == (threshold, threshold + 2)
    assert incident.tickets == threshold + 2 and incident.peak == threshold + 2


def test_problems_are_counted_apart_and_an_incident_ends_with_its_window(kb) -> None:
    watch = AreaWatch(kb.knowledge)
    threshold = kb.knowledge.settings.thresholds["area_incident"]
    for n in range(threshold - 1):
        watch.observe(n, "东湖", START, "broadband.auth_failed")
        watch.observe(n, "东湖", START, "broadband.no_response")
    assert watch.incidents == []
    later = START + 3 * watch.window
    for n in range(2 * threshold):
        watch.observe(n, "东湖", later + timedelta(minutes=n % threshold) +
                      (2 * watch.window if n >= threshold else timedelta()),
                      "broadband.auth_failed")  # fmt: skip
    assert len(watch.incidents) == 2  # two bursts, two incidents
