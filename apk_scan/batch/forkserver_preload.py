"""Imported by the multiprocessing fork server (set_forkserver_preload): load the scanner and catalog once, before workers fork."""

from apk_scan.batch.task import preload

preload()
