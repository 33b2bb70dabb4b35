"""Runs: the run folder (lock, journal, manifest), the batch runner, kept answers and the Batch API."""
