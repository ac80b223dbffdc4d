"""Imported by the multiprocessing fork server: load everything a scan needs once, before workers fork from it."""

from apk_scan.batch.task import preload

preload()
