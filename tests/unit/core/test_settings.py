from pathlib import Path

import pytest
import yaml

from callwarden.errors import ConfigError
from callwarden.settings import Settings, load_settings, parse_settings

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"


@pytest.mark.parametrize("path", sorted(CONFIG_DIR.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_yaml_under_config_loads(path: Path) -> None:
    assert isinstance(load_settings(path), Settings)


def _field_paths(model: type, prefix: str = "") -> set[str]:
    paths = set()
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        path = f"{prefix}{name}"
        paths.add(path)
        sub = info.annotation
        if isinstance(sub, type) and hasattr(sub, "model_fields"):
            paths |= _field_paths(sub, path + ".")
    return paths


def _yaml_paths(data: object, prefix: str = "") -> set[str]:
    if not isinstance(data, dict):
        return set()
    paths = set()
    for key, value in data.items():
        paths.add(f"{prefix}{key}")
        paths |= _yaml_paths(value, f"{prefix}{key}.")
    return paths


def test_default_yaml_documents_every_setting_with_its_default() -> None:
    text = (CONFIG_DIR / "default.yaml").read_text()
    documented = _yaml_paths(yaml.safe_load(text))
    missing = {p for p in _field_paths(Settings) if p not in documented}
    assert not missing, f"settings missing from config/default.yaml: {sorted(missing)}"
    assert load_settings(CONFIG_DIR / "default.yaml") == Settings()


def test_unknown_key_names_file_path_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "site.yaml"
    bad.write_text("vad:\n  aggressiveness: 2\n  padding: 300\n")
    with pytest.raises(ConfigError) as err:
        load_settings(bad)
    message = str(err.value)
    assert str(bad) in message
    assert "vad.padding (line 3)" in message
    assert "Extra inputs are not permitted" in message


def test_wrong_type_and_range_are_each_reported() -> None:
    text = "vad:\n  frame_ms: 25\ndetectors:\n  speaker:\n    threshold: high\n"
    with pytest.raises(ConfigError) as err:
        parse_settings(text, "x.yaml")
    problems = err.value.problems
    assert any(p.startswith("vad.frame_ms (line 2)") for p in problems)
    assert any(p.startswith("detectors.speaker.threshold (line 5)") for p in problems)


def test_yaml_syntax_error_has_line() -> None:
    with pytest.raises(ConfigError, match=r"line \d+: YAML syntax error"):
        parse_settings("vad: [1,\n  2\n", "x.yaml")


def test_top_level_must_be_mapping_and_empty_file_is_defaults() -> None:
    with pytest.raises(ConfigError, match="mapping"):
        parse_settings("- 1\n- 2\n")
    assert parse_settings("") == Settings()


def test_yaml_tags_cannot_build_objects() -> None:
    with pytest.raises(ConfigError):
        parse_settings("audit: !!python/object/apply:os.system ['true']\n")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "absent.yaml")
