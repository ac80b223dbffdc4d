"""The command -> module table the CLI uses to import only what a command needs matches what each module registers."""

import argparse
import importlib

from candor.cli.main import COMMAND_MODULES, COMMANDS, command_modules


def test_every_module_registers_exactly_its_listed_commands():
    for module_name in COMMAND_MODULES:
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module_name).register(subparsers)
        assert set(subparsers.choices) == {c for c, m in COMMANDS.items() if m == module_name}, module_name


def test_a_known_command_imports_one_module_and_help_imports_all():
    assert command_modules(["apk", "scan", "x.apk"]) == ("apk_scan.cli",)
    assert command_modules(["--trackers", "t.json", "--debug", "report", "--apk", "a.apk"]) == ("reports.cli",)
    assert command_modules(["--help"]) == COMMAND_MODULES
    assert command_modules(["apkk"]) == COMMAND_MODULES
    assert command_modules([]) == COMMAND_MODULES
