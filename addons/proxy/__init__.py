"""The mitmproxy glue: the Candor addon and the background process that runs the engine's detector for it."""
