"""Batch scanning: isolated per-APK workers, pluggable executors, resumable output."""
