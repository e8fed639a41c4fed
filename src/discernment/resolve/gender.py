"""Grammatical gender of a person's name, so that "she said" does not go to the last man named.

Evidence, strongest first:

1. an honorific in the same document: "Mr Peskov", "Ms. Kallas", "Mrs Thatcher", "Sir Keir";
2. a Russian or Ukrainian patronymic: "-ovna"/"-evna" (female), "-ovich"/"-evich" (male);
3. a given name on the short lists of resources/en/gender.toml (names frequent in news of the war and of
   European and US politics);
4. a Russian or Ukrainian surname ending: "-ova", "-eva", "-ina", "-yna", "-aya", "-ska" (female), "-ov",
   "-ev", "-in", "-yn", "-sky", "-skyi", "-skiy" (male); only for names of two or more words whose given name
   is not known, since English surnames carry no gender ("Austin", "Collins").

No evidence gives None, and a pronoun may then take that person either way.
"""

from __future__ import annotations

from ..lexicon import pattern, table, words

MALE, FEMALE = "m", "f"


def _suffixes(name: str) -> tuple[str, ...]:
    return tuple(table("gender")[name])


# The evidence is data: resources/en/gender.toml, each entry with what it is for.
MALE_GIVEN = words("male_given", file="gender")
FEMALE_GIVEN = words("female_given", file="gender")

_PATRONYMIC_F = _suffixes("patronymic_female")
_PATRONYMIC_M = _suffixes("patronymic_male")
_SURNAME_F = _suffixes("surname_female")
_SURNAME_M = _suffixes("surname_male")

_HONORIFIC = pattern("honorific", file="gender")
_HONORIFIC_GENDER = {h: MALE for h in table("gender")["male_honorifics"]}
_PRONOUNS_MALE = words("male_pronouns", file="gender")
_PRONOUNS_FEMALE = words("female_pronouns", file="gender")


def document_genders(text: str) -> dict[str, str]:
    """Surnames the document gives an honorific, with the gender it marks ("Ms Kallas" -> Kallas: f). A surname
    that gets both is left out."""
    found: dict[str, str] = {}
    clash: set[str] = set()
    for match in _HONORIFIC.finditer(text):
        gender = _HONORIFIC_GENDER.get(match.group(1), FEMALE)
        surname = match.group(2).lower()
        if found.get(surname, gender) != gender:
            clash.add(surname)
        found[surname] = gender
    return {s: g for s, g in found.items() if s not in clash}


def name_gender(name: str, honorifics: dict[str, str] | None = None) -> str | None:
    """``MALE``, ``FEMALE`` or None for a person's name ("Maria Zakharova" -> f)."""
    words = [w.lower().strip(".,'’") for w in name.replace("-", " ").split()]
    words = [w for w in words if w]
    if not words:
        return None
    if honorifics and words[-1] in honorifics:
        return honorifics[words[-1]]
    for middle in words[1:-1]:
        if middle.endswith(_PATRONYMIC_F):
            return FEMALE
        if middle.endswith(_PATRONYMIC_M):
            return MALE
    given = words[0]
    if given in MALE_GIVEN:
        return MALE
    if given in FEMALE_GIVEN:
        return FEMALE
    if len(words) >= 2 and len(words[-1]) > 4:
        surname = words[-1]
        if surname.endswith(_SURNAME_F):
            return FEMALE
        if surname.endswith(_SURNAME_M):
            return MALE
    return None


def pronoun_gender(word: str) -> str | None:
    word = word.lower()
    if word in _PRONOUNS_MALE:
        return MALE
    if word in _PRONOUNS_FEMALE:
        return FEMALE
    return None
