from discernment.extract.parse import Parse, chunk_text
from discernment.model import Document


def test_parse_chunks_concatenate_back_to_the_text():
    text = ("para one.\n" * 30) + ("x" * 500) + " tail words here"
    pieces = chunk_text(text, 100)
    assert "".join(pieces) == text
    assert all(len(p) <= 100 for p in pieces)


def test_parse_long_text_is_parsed_in_chunks_with_exact_offsets(analyzer):
    text = "".join(f"Paragraph {i}: Zelensky spoke in Kyiv about Kharkiv.\n\n" for i in range(40))
    parser = Parse(analyzer.resources, chunk_chars=300, batch_size=4)
    doc = parser(Document(text))
    sdoc = doc.cache["spacy"]
    assert sdoc.text == text
    for ent in sdoc.ents:
        assert text[ent.start_char:ent.end_char] == ent.text


def test_parse_acute_accent_apostrophes_split_like_plain_ones(parsed):
    text = "South Korea´s office said it wouldn´t comment on Yoon´s plan."
    sdoc = parsed(text).cache["spacy"]
    words = [t.text for t in sdoc]
    assert words[:4] == ["South", "Korea", "´s", "office"]
    assert ["would", "n´t"] == words[6:8]
    assert [t.norm_ for t in sdoc][2] == "'s"
    assert sdoc.text == text
