"""Every reader on fixtures written here by hand."""

import gzip
import json
import os

import pytest

from discernment.config import Config
from discernment.errors import ReadError
from discernment.ingest import ReadOptions, read_inputs
from discernment.model import Document

RU = "Министерство обороны России сообщило о взятии Купянска. Украинские военные это опровергают."


@pytest.fixture
def options():
    return ReadOptions.from_config(Config.defaults(), published="2024-05-01", outlet="CLI outlet")


def read(paths, options, stdin=None):
    return list(read_inputs([str(p) for p in paths], options, stdin=stdin))


def docs_of(items):
    return [i for i in items if isinstance(i, Document)]


def errors_of(items):
    return [i for i in items if isinstance(i, ReadError)]


def test_readers_plain_text_keeps_text_exactly_and_takes_cli_metadata(tmp_path, options):
    raw = "Headline here\r\n\r\nBody with CRLF\r\nand a tab\there.\n"
    p = tmp_path / "a.txt"
    p.write_bytes(raw.encode("utf-8"))
    [doc] = read([p], options)
    assert doc.text == raw
    assert doc.source.title == "Headline here"
    assert doc.source.published == "2024-05-01" and doc.source.outlet == "CLI outlet"
    assert doc.source.path == str(p)


def test_readers_markdown_title_from_heading(tmp_path, options):
    p = tmp_path / "post.md"
    p.write_text("# A blog title\n\nSome words.\n", encoding="utf-8")
    [doc] = read([p], options)
    assert doc.source.title == "A blog title" and doc.text.startswith("# A blog title")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r"])
def test_readers_detect_encodings(tmp_path, options, encoding):
    p = tmp_path / f"ru-{encoding}.txt"
    p.write_bytes(RU.encode(encoding))
    [doc] = read([p], options)
    assert doc.text == RU


def test_readers_report_empty_binary_undecodable_and_unsupported(tmp_path, options):
    (tmp_path / "empty.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "zipped.txt").write_bytes(gzip.compress(b"some text"))
    (tmp_path / "noise.txt").write_bytes(bytes(range(0, 32)) * 50)
    (tmp_path / "doc.docx").write_bytes(b"PK\x03\x04zzz")
    (tmp_path / "good.txt").write_text("A good article about Kharkiv.", encoding="utf-8")
    paths = ["empty.txt", "image.txt", "zipped.txt", "noise.txt", "doc.docx", "good.txt", "missing.txt"]
    items = read([tmp_path / n for n in paths], options)
    codes = {os.path.basename(e.path): e.code for e in errors_of(items)}
    assert codes == {"empty.txt": "E102", "image.txt": "E103", "zipped.txt": "E103", "noise.txt": "E103",
                     "doc.docx": "E105", "missing.txt": "E101"}
    assert [d.text for d in docs_of(items)] == ["A good article about Kharkiv."]


def test_readers_refuse_files_over_the_size_limit(tmp_path):
    options = ReadOptions.from_config(Config.defaults().updated({"readers.max_bytes": 10}))
    p = tmp_path / "big.txt"
    p.write_text("x" * 11, encoding="utf-8")
    [err] = read([p], options)
    assert err.code == "E111"


def test_readers_html_main_text_and_metadata(tmp_path, options):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Shelling in Kharkiv | Example News</title>"
        '<meta name="author" content="Jane Writer"><meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2022-09-10T10:00:00Z"></head><body>'
        "<nav>Menu Home About</nav><article><h1>Shelling in Kharkiv</h1>"
        "<p>Russian forces shelled the northern districts of Kharkiv overnight, the regional governor said on "
        "Saturday, adding that two people had been injured.</p>"
        "<p>The governor said emergency crews were working at the scene and urged residents to stay in shelters "
        "until the air raid alert was lifted.</p></article><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    [doc] = read([p], options)
    assert "northern districts of Kharkiv" in doc.text and "alert(1)" not in doc.text and "Menu" not in doc.text
    assert doc.source.published == "2022-09-10"
    assert doc.source.author == "Jane Writer" and doc.source.outlet == "Example News"
    assert "Shelling in Kharkiv" in doc.source.title


def test_readers_html_without_body_is_E108(tmp_path, options):
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>var a=1;</script></head></html>", encoding="utf-8")
    [err] = read([p], options)
    assert err.code in ("E108", "E102")


def test_readers_jsonl_with_a_corrupt_line_keeps_the_others(tmp_path, options):
    p = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"text": "First article.", "title": "One", "date": "2022-03-01", "url": "https://a.example/1",
                         "source": "Outlet A"}),
             '{"text": "broken',
             json.dumps({"content": "Second article.", "published_at": "03/02/2022"}),
             json.dumps({"title": "no text"}),
             "[1, 2]"]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([p], options)
    docs, errs = docs_of(items), errors_of(items)
    assert [d.text for d in docs] == ["First article.", "Second article."]
    assert docs[0].source.outlet == "Outlet A" and docs[0].source.published == "2022-03-01"
    assert docs[0].source.url == "https://a.example/1" and docs[0].source.title == "One"
    assert docs[1].source.published == "2022-03-02" and docs[1].source.outlet == "CLI outlet"
    assert [(e.path.rsplit(":", 1)[1], e.code) for e in errs] == [("2", "E106"), ("4", "E107"), ("5", "E106")]


def test_readers_json_array_and_contract_documents(tmp_path, options):
    contract = Document("Analysed before.").to_dict()
    contract["source"]["outlet"] = "TASS"
    p = tmp_path / "docs.json"
    p.write_text(json.dumps([{"body": "Plain record."}, contract]), encoding="utf-8")
    docs = docs_of(read([p], options))
    assert [d.text for d in docs] == ["Plain record.", "Analysed before."]
    assert docs[1].source.outlet == "TASS"


def test_readers_csv_with_embedded_newlines_and_column_mapping(tmp_path, options):
    p = tmp_path / "export.csv"
    p.write_text(',URL,Date,Title,Text\n0,https://x.example/a,2022-05-27 10:00:00,T1,"Line one\nline two, with comma"\n'
                 '1,https://x.example/b,2022-05-28,T2,"Second ""quoted"" text"\n', encoding="utf-8")
    docs = docs_of(read([p], options))
    assert [d.text for d in docs] == ["Line one\nline two, with comma", 'Second "quoted" text']
    assert docs[0].source.published == "2022-05-27" and docs[0].source.url == "https://x.example/a"


def test_readers_csv_without_text_column_is_E107(tmp_path, options):
    p = tmp_path / "meta.csv"
    p.write_text("title,url\nA,https://x\n", encoding="utf-8")
    [err] = read([p], options)
    assert err.code == "E107"


def test_readers_csv_custom_text_column_by_setting(tmp_path):
    config = Config.load(None, ['readers.table.text_fields=["story"]'])
    p = tmp_path / "custom.tsv"
    p.write_text("headline\tstory\nH\tThe story text.\n", encoding="utf-8")
    [doc] = read([p], ReadOptions.from_config(config))
    assert doc.text == "The story text." and doc.source.title == "H"


def test_readers_csv_in_cp1251(tmp_path, options):
    p = tmp_path / "ru.csv"
    p.write_bytes(f"title,text\nЗаголовок,{RU}\n".encode("cp1251"))
    [doc] = read([p], options)
    assert doc.text == RU and doc.source.title == "Заголовок"


RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>https://w.example/1</link><pubDate>Sun, 12 May 2024 09:30:00 GMT</pubDate>
<description><![CDATA[<p>First paragraph about Odesa.</p><p>Second paragraph.</p><script>x()</script>]]></description></item>
<item><title>Empty</title><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom outlet</title>
<entry><title>Atom entry</title><link href="https://a.example/e1"/><updated>2023-01-02T00:00:00Z</updated>
<author><name>Reporter</name></author><content type="html">&lt;p&gt;Atom body text.&lt;/p&gt;</content></entry></feed>"""


def test_readers_rss_entries_become_documents(tmp_path, options):
    p = tmp_path / "feed.xml"
    p.write_text(RSS, encoding="utf-8")
    items = read([p], options)
    [doc] = docs_of(items)
    assert doc.text == "First paragraph about Odesa.\n\nSecond paragraph."
    assert doc.source.outlet == "Wire" and doc.source.published == "2024-05-12" and doc.source.title == "One"
    assert errors_of(items)[0].code == "E102"


def test_readers_atom_feed(tmp_path, options):
    p = tmp_path / "feed.atom"
    p.write_text(ATOM, encoding="utf-8")
    [doc] = read([p], options)
    assert doc.text == "Atom body text." and doc.source.author == "Reporter" and doc.source.published == "2023-01-02"


def test_readers_malformed_feed_is_E109(tmp_path, options):
    p = tmp_path / "bad.rss"
    p.write_text("<rss><channel><title>x</title><item><title>unclosed", encoding="utf-8")
    items = read([p], options)
    assert all(isinstance(i, ReadError) for i in items) and items[0].code == "E109"


def test_readers_directory_is_sorted_recursive_and_survives_symlink_loops(tmp_path, options):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zed", encoding="utf-8")
    (tmp_path / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "c.md").write_text("charlie", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    items = read([tmp_path], options)
    assert [d.text for d in docs_of(items)] == ["alpha", "zed", "charlie"]
    assert [e.code for e in errors_of(items)] == ["E112"]


def test_readers_stdin_is_plain_text(options):
    [doc] = list(read_inputs(["-"], options, stdin="Из stdin.".encode("cp1251")))
    assert doc.text == "Из stdin." and doc.source.path is None


def test_readers_refuse_private_feed_urls(options):
    [err] = list(read_inputs(["http://127.0.0.1:9/feed.xml"], options))
    assert err.code == "E110" and "non-public" in err.reason
    [err] = list(read_inputs(["http://169.254.169.254/latest"], options))
    assert err.code == "E110"
