"""The `nn-playground` command."""

import subprocess
import sys

import pytest

from playground.cli import main


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "build" in out and "serve" in out


def test_python_dash_m_playground_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "playground", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("nn-playground ")


def test_serving_a_folder_without_a_site_says_what_to_do(tmp_path, capsys):
    assert main(["serve", str(tmp_path)]) == 1
    assert "run `nn-playground build` first" in capsys.readouterr().err


def test_a_bad_package_source_stops_the_build_with_a_message(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "site"), "--packages-from", str(tmp_path / "nothing")]) == 1
    assert "no such folder or archive" in capsys.readouterr().err
