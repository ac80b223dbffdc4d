"""The traffic engine: one request in, the identifiers it carries out; shared by the proxy and the offline analyser.

Pure Python over `RequestData`; only `flowfile` touches mitmproxy (to read its dump files and copy live flows).
"""
