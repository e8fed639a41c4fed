from discernment.ingest import Deduplicator
from discernment.model import Document

BASE = ("Russian forces shelled the city of Kharkiv overnight, damaging several residential buildings and a school, "
        "the regional governor said on Tuesday. Emergency services said two people were injured and taken to "
        "hospital. The governor urged residents to remain in shelters while air raid alerts were in force. "
        "Local officials said power was cut in parts of the city after a substation was hit, and repair crews "
        "were sent out as soon as the alert ended. Schools in the affected districts switched to remote lessons "
        "for the rest of the week, the city council said in a statement on its website.")


def test_dedup_exact_copy_is_recognised_by_content_hash():
    d = Deduplicator()
    first = Document(BASE)
    assert d.check(first) is None
    assert d.check(Document(BASE.replace(" ", "  "))) == first.id


def test_dedup_near_copy_names_the_earlier_document():
    d = Deduplicator(threshold=0.8)
    first = Document(BASE)
    d.check(first)
    near = Document(BASE.replace("Tuesday", "Wednesday"))
    assert d.check(near) == first.id


def test_dedup_different_text_is_not_flagged():
    d = Deduplicator()
    d.check(Document(BASE))
    other = Document("Ukraine's parliament approved a new budget on Thursday after a long debate about defence "
                     "spending, pensions and the cost of rebuilding energy infrastructure damaged by strikes.")
    assert d.check(other) is None
