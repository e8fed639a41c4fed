import pytest

from discernment import registry
from discernment.config import Config
from discernment.errors import PipelineError
from discernment.model import Document, Entity
from discernment.pipeline import Component, Pipeline, Resources, check_order


class Upper(Component):
    name = "test_upper.v1"
    requires = ("doc.text",)
    assigns = ("doc.entities",)

    def __call__(self, doc):
        words = [(i, w) for i, w in enumerate(doc.text.split(" ")) if w.istitle()]
        spans, pos = [], 0
        for word in doc.text.split(" "):
            if word.istitle():
                spans.append(Entity(pos, pos + len(word), word, "X", word))
            pos += len(word) + 1
        doc.set_layer("entities", spans)
        doc.cache["seen"] = len(words)
        return doc


class NeedsPlaces(Component):
    name = "test_needs_places.v1"
    requires = ("doc.places",)
    assigns = ("doc.events",)

    def __call__(self, doc):
        return doc


def test_pipeline_runs_components_in_order_and_clears_cache():
    pipe = Pipeline([Upper()])
    doc = pipe.run(Document("Kyiv and Odesa were hit"))
    assert [e.text for e in doc.entities] == ["Kyiv", "Odesa"]
    assert doc.cache == {}


def test_pipeline_pipe_preserves_order_across_batches():
    pipe = Pipeline([Upper()])
    texts = [f"Doc {i} Name{i}" for i in range(7)]
    out = list(pipe.pipe((Document(t) for t in texts), batch_size=3))
    assert [d.text for d in out] == texts


def test_pipeline_order_check_names_the_missing_requirement():
    with pytest.raises(PipelineError) as err:
        check_order([NeedsPlaces()])
    assert err.value.code == "E302" and "doc.places" in str(err.value)


def test_pipeline_rejects_a_component_listed_twice():
    with pytest.raises(PipelineError) as err:
        Pipeline([Upper(), Upper()])
    assert err.value.code == "E303"


def test_pipeline_from_config_uses_registry_and_rejects_unknown_names():
    registry.components.register("test_upper.v1")(lambda config, resources: Upper())
    config = Config.defaults().updated({"pipeline.components": ["test_upper.v1"]})
    assert Pipeline.from_config(config).names == ["test_upper.v1"]
    with pytest.raises(PipelineError) as err:
        Pipeline.from_config(config.updated({"pipeline.components": ["nope.v9"]}))
    assert err.value.code == "E301"


def test_pipeline_default_components_are_registered_and_ordered(config):
    from discernment import extract  # noqa: F401

    components = [registry.components.get(n)(config, Resources(config)) for n in config["pipeline.components"]]
    check_order(components)
    assert components[0].name == "parse.v1"


def test_resources_load_once_and_can_be_injected():
    calls = []
    res = Resources(Config.defaults())
    res.provide("thing", lambda r: calls.append(1) or object())
    assert res.get("thing") is res.get("thing") and calls == [1]
    res2 = Resources(Config.defaults())
    res2.set("thing", "injected")
    res2.provide("thing", lambda r: "loaded")
    assert res2.get("thing") == "injected"
    with pytest.raises(PipelineError):
        res2.get("missing")


class SlowTextOnly(Component):
    """Needs only the text; records which thread ran it."""

    name = "test_slow_text_only.v1"
    requires = ("doc.text",)
    assigns = ("doc.techniques",)
    concurrent = True

    def __init__(self):
        self.threads = []

    def __call__(self, doc):
        import threading
        import time

        from discernment.model import Technique

        time.sleep(0.05)
        self.threads.append(threading.current_thread().name)
        doc.set_layer("techniques", [Technique(0, 4, doc.text[:4], "Loaded_Language", 0.9)])
        return doc


class NeedsTechniques(Component):
    name = "test_needs_techniques.v1"
    requires = ("doc.techniques",)
    assigns = ("doc.events",)

    def __call__(self, doc):
        assert doc.techniques, "ran before the concurrent component was joined"
        return doc


def test_pipeline_runs_text_only_components_beside_the_others_and_joins_them_in_order():
    slow = SlowTextOnly()
    pipe = Pipeline([Upper(), slow, NeedsTechniques()])
    doc = pipe.run(Document("Kyiv and Odesa were hit"))
    assert [e.text for e in doc.entities] == ["Kyiv", "Odesa"] and doc.techniques[0].text == "Kyiv"
    out = list(pipe.pipe((Document(f"Text {i} Kyiv") for i in range(5)), batch_size=2))
    assert all(d.techniques and d.techniques[0].text == "Text" for d in out)
    assert all(name.startswith("discernment-ahead") for name in slow.threads)
