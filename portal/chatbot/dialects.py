"""Choose the supported locale to answer in, including pt_PT/pt_BR and es_ES/es_419.

Victims notice the difference. The order of preference: the locale the victim chose
(when it is the same language), then words that only one variety uses, then the
portal's default dialect.
"""

from __future__ import annotations

import re

from portal.i18n import DEFAULT_DIALECT, SUPPORTED_LOCALES

from .text import fold, words

_CUES: dict[str, dict[str, frozenset[str]]] = {
    "pt": {
        "pt_BR": frozenset(
            {
                "celular",
                "voce",
                "voces",
                "onibus",
                "trem",
                "ta",
                "to",
                "pra",
                "oi",
                "boletim",
                "delegacia",
                "policial",
                "cade",
                "registro",
                "moca",
                "banheiro",
                "caminhao",
                "geladeira",
            }
        ),
        "pt_PT": frozenset(
            {
                "telemovel",
                "autocarro",
                "comboio",
                "portatil",
                "esquadra",
                "indemnizacao",
                "contacto",
                "psp",
                "gnr",
                "miudo",
                "miudos",
                "rapariga",
                "frigorifico",
                "utente",
            }
        ),
    },
    "es": {
        "es_419": frozenset(
            {
                "celular",
                "carro",
                "computadora",
                "plata",
                "boleto",
                "pasaje",
                "manejar",
                "ahorita",
                "departamento",
                "colectivo",
                "lindo",
                "aca",
                "platicar",
                "chamba",
                "nomas",
                "ustedes",
                "jalar",
                "cuadra",
            }
        ),
        "es_ES": frozenset(
            {
                "vosotros",
                "vosotras",
                "vuestro",
                "vuestra",
                "movil",
                "ordenador",
                "coche",
                "vale",
                "tio",
                "tia",
                "billete",
                "piso",
                "teneis",
                "podeis",
                "sabeis",
                "habeis",
                "quereis",
                "estais",
                "sois",
                "llamadme",
                "decidme",
                "ayudadme",
                "conducir",
                "os",
                "mola",
            }
        ),
    },
}
#: Portugal's progressive "estou a esperar" (Brazil says "estou esperando").
_PT_PROGRESSIVE = re.compile(r"\b(esta|estou|estas|estamos|estao|anda|ando) a \w+(ar|er|ir)\b")


def _cue_votes(language: str, text: str) -> dict[str, int]:
    tokens = set(words(fold(text)))
    votes = {locale: len(tokens & cues) for locale, cues in _CUES[language].items()}
    if language == "pt" and _PT_PROGRESSIVE.search(fold(text)):
        votes["pt_PT"] += 1
    return votes


def choose_locale(language: str, text: str, preferred: str | None) -> str:
    """The supported locale for a supported base ``language``."""
    if language not in _CUES:
        return language if language in SUPPORTED_LOCALES else "en"
    if preferred and preferred.split("_")[0] == language:
        return preferred
    votes = _cue_votes(language, text)
    best = max(votes, key=votes.__getitem__)
    if votes[best] > min(votes.values()):
        return best
    return DEFAULT_DIALECT[language]
