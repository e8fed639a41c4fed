"""Grammatical gender of a person's name, so that "she said" does not go to the last man named.

Evidence, strongest first:

1. an honorific in the same document: "Mr Peskov", "Ms. Kallas", "Mrs Thatcher", "Sir Keir";
2. a Russian or Ukrainian patronymic: "-ovna"/"-evna" (female), "-ovich"/"-evich" (male);
3. a given name on the short lists below (names frequent in news of the war and of European and US politics);
4. a Russian or Ukrainian surname ending: "-ova", "-eva", "-ina", "-yna", "-aya", "-ska" (female), "-ov",
   "-ev", "-in", "-yn", "-sky", "-skyi", "-skiy" (male); only for names of two or more words whose given name
   is not known, since English surnames carry no gender ("Austin", "Collins").

No evidence gives None, and a pronoun may then take that person either way.
"""

from __future__ import annotations

import re

MALE, FEMALE = "m", "f"

MALE_GIVEN = frozenset("""
vladimir volodymyr sergei sergey serhiy serhii dmitry dmitri dmytro alexander oleksandr aleksandr alexei alexey
oleksiy oleksii andrei andrey andriy andrii mikhail mykhailo mykhaylo nikolai mykola ivan yevgeny yevgeniy
yevhen evgeny viktor vitaly vitali vitaliy valery valeriy valerii denis denys yuri yuriy yury igor ihor oleg
boris petro pyotr pavel pavlo kirill roman ruslan anatoly anatoliy gennady arseniy arseny vadim vadym maxim
maksym konstantin kostiantyn stanislav vasily vasyl leonid grigory hryhoriy ramzan
joe joseph donald barack george bill rishi keir jeremy jens antony anthony lloyd mark mike michael john
james robert richard david william thomas charles christopher daniel matthew paul steven stephen andrew kevin
brian jason ron rick jake jack justin pedro recep xi narendra mateusz andrzej olaf friedrich volker karl
josep jean francois pierre nicolas emmanuel antonio mario
alexis kyriakos fumio naftali benjamin yair isaac ali hassan mohammed muhammad ahmed ebrahim ghulam
shavkat kassym ilham nikol aleksandar aleksander
""".split())

FEMALE_GIVEN = frozenset("""
maria mariya marija anna hanna ganna olena elena yelena irina iryna tatiana tetiana tatyana natalia nataliya
natalya svetlana olga olha lyudmila liudmyla yulia yuliya julia ekaterina kateryna yekaterina valentina
ksenia kseniya daria darya oksana viktoriya victoria veronika alina anastasia anastasiia sofia sofiya
galina halyna larysa larisa lyubov nadezhda nadiya vera margarita margaryta elvira ella inna
ursula kaja annalena liz elizabeth theresa margaret angela kamala hillary nancy jill melania nikki
sanna mette jacinda giorgia ylva roberta christine linda samantha jennifer karine antonia kristi
mary patricia susan sarah karen lisa betty helen emma sophie claire laura rachel
""".split())

_PATRONYMIC_F = ("ovna", "evna", "ivna", "yivna", "ichna")
_PATRONYMIC_M = ("ovich", "evich", "ovych", "yovych", "ich", "ych")
_SURNAME_F = ("ova", "eva", "yova", "ina", "yna", "aya", "ska", "tska", "skaya")
_SURNAME_M = ("ov", "ev", "yov", "in", "yn", "sky", "skyi", "skiy", "skii")

_HONORIFIC = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Mme|Madam|Madame|Sir|Dame|Lady|Lord)\b\.?\s+"
    r"(?:[A-Z][\w'’-]+\s+)?([A-Z][\w'’-]+)")
_HONORIFIC_GENDER = {"Mr": MALE, "Sir": MALE, "Lord": MALE}


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
    if word in ("he", "him", "his", "himself"):
        return MALE
    if word in ("she", "her", "hers", "herself"):
        return FEMALE
    return None
