"""The benchmarks still run (on a tiny seed), so they do not rot between measurements."""

import pytest

from bench import _postgres, checkins, dispatch


@pytest.fixture
def scratch_server(postgres_url, monkeypatch):
    """Benchmarks make and drop their own scratch database through the test database."""
    monkeypatch.setattr(_postgres, "ADMIN_URL", postgres_url)


@pytest.mark.postgres
def test_the_check_in_benchmark_sweeps_every_due_case_in_few_statements(
    scratch_server, monkeypatch
):
    monkeypatch.setattr(checkins, "FIXED_DUE", 50)
    monkeypatch.setattr(checkins, "TIE", 10)
    _seeded, sweeps = checkins.measure(2000)
    assert [(figures.due, figures.queued) for figures in sweeps] == [(50, 50), (150, 150)]
    assert all(figures.statements_per_batch < 10 for figures in sweeps)
    assert sweeps[-1].plan


@pytest.mark.postgres
def test_the_dispatch_benchmark_measures_one_worker_sending_each_message_once(scratch_server):
    result = dispatch.measure(workers=1, latency=0.0, messages=20)
    assert result.duplicates == 0 and result.per_second > 0


@pytest.mark.postgres
def test_the_audit_benchmark_seeds_a_verifiable_log_and_keeps_up_with_appends(scratch_server):
    from bench import audit as audit_bench
    from portal.db import upgrade

    with _postgres.scratch_database("bench_audit") as url:
        upgrade(url)
        verified = audit_bench.measure_verify(url, 3000)  # 2 checkpoints, both witnessed
    assert (verified["checkpoints"], verified["witnessed"]) == (2, 2)
    with _postgres.scratch_database("bench_audit") as url:
        upgrade(url)
        sequenced = audit_bench.measure_sequencer(url, rate=40, seconds=2, appenders=2)
    assert sequenced["rows"] == sequenced["appended"] > 0
