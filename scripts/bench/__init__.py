"""The parts of scripts/bench_data.py: word pools (texts), bulk writing (loader) and the
synthetic programme itself (programme)."""
