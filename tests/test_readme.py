"""The README stays true: two Quick start commands, every setting documented."""

from pathlib import Path

from config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_quick_start_is_two_commands_that_exist() -> None:
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["scripts/demo", "scripts/test"]
    root = Path(__file__).resolve().parent.parent
    assert all((root / c).stat().st_mode & 0o111 for c in commands)
    assert "scripts/test" in (root / ".ci" / "run").read_text()


def test_every_setting_is_in_the_settings_table() -> None:
    for name in Settings.model_fields:
        assert f"`WATTBOARD_{name.upper()}`" in README, name
