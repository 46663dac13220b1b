"""News agencies: the names they are printed under, and the agency a credits line names."""

from __future__ import annotations

import re

# News agencies as printed in bylines, datelines and credits (case-folded), mapped to their
# canonical form: a byline naming one is the agency's copy, not a person's name.
AGENCIES: dict[str, str] = {
    **dict.fromkeys(("reuters", "thomson reuters"), "Reuters"),
    **dict.fromkeys(("ap", "associated press", "the associated press"), "AP"),
    **dict.fromkeys(("afp", "agence france-presse", "agence france presse"), "AFP"),
    **dict.fromkeys(("dpa", "deutsche presse-agentur", "deutsche presse agentur"), "dpa"),
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    # national agencies whose copy other outlets print under their name
    **dict.fromkeys(("apa", "austria presse agentur"), "APA"),
    **dict.fromkeys(("sda", "keystone-sda", "keystone sda"), "SDA"),
    "anp": "ANP",
    "ansa": "ANSA",
    **dict.fromkeys(("efe", "agencia efe"), "EFE"),
    "europa press": "Europa Press",
    "belga": "Belga",
    **dict.fromkeys(("ctk", "čtk"), "ČTK"),
    "ntb": "NTB",
    "ritzau": "Ritzau",
    **dict.fromkeys(("aap", "australian associated press"), "AAP"),
    **dict.fromkeys(("pa media", "press association"), "PA Media"),
    **dict.fromkeys(("canadian press", "the canadian press"), "Canadian Press"),
    **dict.fromkeys(("kyodo", "kyodo news"), "Kyodo"),
    **dict.fromkeys(("jiji", "jiji press"), "Jiji"),
    **dict.fromkeys(("yonhap", "yonhap news agency"), "Yonhap"),
    **dict.fromkeys(("xinhua", "xinhua news agency"), "Xinhua"),
    **dict.fromkeys(("anadolu agency", "anadolu ajansı"), "Anadolu"),
    **dict.fromkeys(("pti", "press trust of india"), "PTI"),
    "ians": "IANS",
    **dict.fromkeys(("lusa", "agência lusa"), "Lusa"),
}

# Characters that may open or close a name but are not part of it.
NAME_STRIP = " \t.:;,-–—()[]\"'“”"


def agency_name(text: str | None) -> str | None:
    """Canonical agency name ("Reuters", "AP", "AFP") for a printed name, else None."""
    if not text:
        return None
    return AGENCIES.get(" ".join(text.split()).strip(NAME_STRIP).casefold())


# A credits line naming an agency's desk or staff: "Reporting by Jane Doe (Reuters)".
CREDITS_AGENCY = re.compile(r"\((?P<agency>[^()]{2,30})\)|\b(?:for|from|of)\s+(?P<of>[\w ]{2,30})$")


def agency_in_credits(credits: str | None) -> str | None:
    """Canonical agency named in a credits line ("Reporting by X (Reuters)" -> "Reuters")."""
    if not credits:
        return None
    for match in CREDITS_AGENCY.finditer(credits):
        found = agency_name(match.group("agency") or match.group("of"))
        if found:
            return found
    return None
