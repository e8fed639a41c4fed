from discernment.extract.reconcile import Reconcile
from discernment.model import Document, Entity, Place


def test_reconcile_relabels_towns_tagged_as_people_and_keeps_demonyms():
    text = "Drones hit Kryvyi Rih. Ukrainian officials met Kyiv Post reporters."
    doc = Document(text)
    kr = text.index("Kryvyi Rih")
    ua = text.index("Ukrainian")
    kp = text.index("Kyiv Post")
    doc.set_layer("entities", [Entity(kr, kr + 10, "Kryvyi Rih", "PERSON", "Kryvyi Rih"),
                               Entity(ua, ua + 9, "Ukrainian", "NORP", "Ukrainian"),
                               Entity(kp, kp + 9, "Kyiv Post", "ORG", "Kyiv Post")])
    doc.set_layer("places", [Place(kr, kr + 10, "Kryvyi Rih", "Kryvyy Rih", 47.9, 33.4, "UA", None, 703845, "PPL", 1),
                             Place(ua, ua + 9, "Ukrainian", "Ukraine", 49.0, 32.0, "UA", None, 690791, "PCLI", .5),
                             Place(kp, kp + 4, "Kyiv", "Kyiv", 50.4, 30.5, "UA", None, 703448, "PPLC", .9)])
    out = Reconcile()(doc)
    assert [(e.label, e.canonical) for e in out.entities] == [
        ("GPE", "Kryvyy Rih"), ("NORP", "Ukrainian"), ("ORG", "Kyiv Post")]


def test_reconcile_in_the_pipeline_takes_towns_out_of_people(analyzer):
    doc = analyzer("Zelensky visited Odesa and Mykolaiv on Friday. Later he went to Kryvyi Rih.")
    people = {e.text for e in doc.entities if e.label == "PERSON"}
    assert "Odesa" not in people and "Kryvyi Rih" not in people
