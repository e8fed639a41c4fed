"""resolve.gender: the gender of a person's name from the document's honorifics, patronymics, given names and
Slavic surname endings; unknown stays None."""

from __future__ import annotations

import pytest

from discernment.resolve.gender import FEMALE, MALE, document_genders, name_gender, pronoun_gender


@pytest.mark.parametrize("name, expected", [
    ("Maria Zakharova", FEMALE),          # given name
    ("Sergei Lavrov", MALE),
    ("Iryna Vereshchuk", FEMALE),
    ("Volodymyr Zelensky", MALE),
    ("Valentina Ivanovna Matviyenko", FEMALE),  # patronymic
    ("Dmitry Sergeyevich Peskov", MALE),
    ("Elvira Nabiullina", FEMALE),
    ("Y. Stefanishyna", FEMALE),          # surname ending, given name unknown
    ("A. Bortnikov", MALE),
    ("Yulia Tymoshenko", FEMALE),         # "-enko" says nothing; the given name does
    ("Lloyd Austin", MALE),
    ("Chris Collins", None),              # English names without a listed given name: unknown
    ("Kallas", None),
    ("", None),
])
def test_name_gender(name, expected):
    assert name_gender(name) == expected


def test_document_honorifics_decide_and_clash_is_dropped():
    text = "Ms Kallas spoke first. Mr. Rutte answered. Later Mrs Smith and Mr Smith left."
    genders = document_genders(text)
    assert genders == {"kallas": FEMALE, "rutte": MALE}
    assert name_gender("Kaja Kallas", genders) == FEMALE
    assert name_gender("Chris Kallas", genders) == FEMALE  # the document's own evidence comes first
    assert name_gender("Mark Rutte", genders) == MALE


def test_pronoun_gender():
    assert pronoun_gender("She") == FEMALE and pronoun_gender("him") == MALE
    assert pronoun_gender("they") is None
