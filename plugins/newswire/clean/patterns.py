"""Named line patterns: paywall prompts, meter notices, boilerplate and photo credits.

Each pattern matches a whole line (clean/lines.py applies them with word limits); English,
German, French and Spanish at least. Article sentences that merely mention these words must not
match. The boilerplate patterns live in boilerplate_prompts.py and boilerplate_notes.py, the
shared fragments in fragments.py.
"""

from __future__ import annotations

import re

from newswire.clean.boilerplate_notes import NOTE_PATTERNS
from newswire.clean.boilerplate_prompts import PROMPT_PATTERNS
from newswire.clean.fragments import whole_line

# Paywall and subscription prompts: finding one sets paywalled and truncates the tail.
PAYWALL_PATTERNS: dict[str, re.Pattern[str]] = {
    # "To Read The Full Story", "Continue reading the full article"
    "read_full_story": whole_line(
        r"(?:to\s+)?(?:read|continue\s+reading|keep\s+reading|view|see)\s+the\s+"
        r"(?:full|whole|rest\s+of\s+the|complete)\s+(?:story|article|report)"
        r"(?:\s*,?\s*(?:subscribe|sign\s*in|log\s*in|register)(?:\s+(?:now|today|here))?)?"
    ),
    # "Are you already a subscriber?", "Already a subscriber? Log in"
    "already_subscriber": whole_line(
        r"(?:are\s+you\s+)?already\s+(?:a\s+)?(?:subscriber|member|registered)\??"
        r"(?:\s*(?:click\s+here\s+to\s+)?(?:log|sign)\s*(?:in|on)(?:\s+here)?)?"
    ),
    # "Click to log in!", "Click here to sign in"
    "click_to_log_in": whole_line(r"(?:click|tap)\s+(?:here\s+)?to\s+(?:log|sign)\s*(?:in|on)"),
    # "Subscribe to continue reading", "Subscribe now to read the full article"
    "subscribe_to_continue": whole_line(
        r"subscribe\s+(?:now\s+|today\s+)?to\s+(?:continue(?:\s+reading)?|keep\s+reading|"
        r"read\s+(?:more|on|this\s+(?:article|story)|the\s+(?:full|rest))|unlock)[^.!?]{0,60}"
    ),
    # "This article is for subscribers only", "This content is exclusive to subscribers"
    "subscribers_only": whole_line(
        r"(?:this\s+(?:article|story|content|page)\s+is\s+)?(?:only\s+)?"
        r"(?:for|available\s+(?:only\s+)?(?:to|for)|exclusive\s+(?:to|for)|reserved\s+for)\s+"
        r"(?:our\s+)?(?:paying\s+|premium\s+|digital\s+)?(?:subscribers|members)(?:\s+only)?"
        r"|(?:subscribers?|premium|members)[\s-]+(?:only|exclusive)(?:\s+(?:content|article))?"
    ),
    # "Already have an account? Sign in"
    "have_account_sign_in": whole_line(
        r"already\s+have\s+an\s+account\??(?:\s*[-–—|,]?\s*(?:log|sign)\s*(?:in|on)(?:\s+here)?)?"
    ),
    # "Log in or subscribe to read more", "Sign in or register to continue reading"
    "log_in_or_subscribe": whole_line(
        r"(?:please\s+)?(?:log|sign)\s*(?:in|on)\s+or\s+(?:subscribe|register|sign\s+up|"
        r"create\s+an\s+account)(?:\s+(?:now|today|for\s+free))?"
        r"(?:\s+to\s+(?:read|continue|keep\s+reading|access|view)[^.!?]{0,60})?"
    ),
    # "Register for free to continue", "Register now to keep reading"
    "register_to_continue": whole_line(
        r"register\s+(?:for\s+free|now|today|free)(?:\s+to\s+(?:continue|read|keep\s+reading|"
        r"access|unlock)[^.!?]{0,60})?"
    ),
    # "You have reached your limit of free articles", "You've read 3 of 3 free articles"
    "article_limit": whole_line(
        r"you(?:'ve|’ve|\s+have)\s+(?:reached|used\s+up|used|read)\s+(?:your|all\s+(?:of\s+)?your|"
        r"the|\d+\s+of\s+(?:your\s+)?\d+)\s+(?:(?:monthly|weekly)\s+)?(?:limit\s+of\s+|"
        r"maximum\s+(?:number\s+)?of\s+)?(?:free\s+)?(?:articles|stories)[^.!?]{0,60}"
    ),
    # "Subscribe now", "Subscribe for $1 a week"
    "subscribe_now": whole_line(
        r"subscribe(?:\s+(?:now|today|here))?(?:\s+(?:for|from)\s+(?:just\s+|only\s+)?"
        r"[$€£]?\s?\d[\d.,]*[^.!?]{0,40})?"
    ),
    # "Get unlimited access", "Unlock full digital access for $1"
    "get_access": whole_line(
        r"(?:get|unlock|gain)\s+(?:unlimited|full|digital|instant|premium)\s+"
        r"(?:digital\s+)?access[^.!?]{0,60}"
    ),
    # German: "Weiterlesen mit Abo", "Jetzt abonnieren", "Bereits Abonnent? Hier anmelden"
    "abo_de": whole_line(
        r"(?:weiterlesen\s+mit\s+[^.!?]{0,30}abo[^.!?]{0,20}|jetzt\s+(?:abonnieren|abo\s+abschließen)|"
        r"(?:sie\s+sind\s+)?bereits\s+abonnent(?:in)?\??(?:\s*(?:hier\s+)?(?:anmelden|einloggen))?|"
        r"dieser\s+artikel\s+ist\s+(?:nur\s+)?für\s+abonnenten(?:\s+verfügbar)?|"
        r"(?:jetzt\s+)?(?:weiterlesen|alle\s+artikel\s+lesen)\s+mit\s+[^.!?]{1,30}|"
        r"(?:um\s+)?(?:diesen|den\s+vollständigen)\s+artikel\s+(?:zu\s+)?(?:lesen|weiterlesen)"
        r"[^.!?]{0,40}(?:abo|abonnement|registrier|anmeld)[^.!?]{0,30})"
    ),
    # Spanish: "Este contenido es exclusivo para suscriptores", "¿Ya eres suscriptor? Inicia sesión"
    "suscriptores_es": whole_line(
        r"¿?\s*(?:(?:este|el)\s+(?:artículo|contenido|texto)\s+es\s+)?exclusivo\s+para\s+"
        r"(?:suscriptores|abonados|socios)|¿?\s*ya\s+eres\s+(?:suscriptor|abonado|socio)a?\s*\??"
        r"(?:\s*(?:inicia\s+sesión|identifícate|entra))?|suscríbete\s+(?:para|y)\s+"
        r"(?:seguir\s+leyendo|leer|continuar)[^.!?]{0,40}|hazte\s+suscriptor[^.!?]{0,40}"
    ),
    # French: "Cet article est réservé aux abonnés", "Déjà abonné ? Se connecter",
    # "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés."
    "abonnes_fr": whole_line(
        r"(?:cet\s+article\s+est\s+réservé\s+aux\s+abonnés|"
        r"déjà\s+abonné(?:e)?\s*\??(?:\s*(?:se\s+connecter|connectez-vous|identifiez-vous))?|"
        r"abonnez-vous\s+pour\s+(?:lire|continuer)[^.!?]{0,40}|il\s+vous\s+reste\s+\d+(?:[.,]\d+)?"
        r"\s*%[^!?]{0,40}?à\s+lire(?:\.\s*la\s+suite\s+est\s+réservée\s+aux\s+abonnés)?|"
        r"la\s+suite\s+est\s+réservée\s+aux\s+abonnés|"
        r"pour\s+lire\s+la\s+suite[^.!?]{0,20}(?:abonn|connect|identifi)[^.!?]{0,30})"
    ),
}

# Meter notices: the full text is there but counted ("You have 2 free articles left this
# month"); stripped and reported, the page is metered, nothing is truncated.
METER_PATTERNS: dict[str, re.Pattern[str]] = {
    # "You have 2 free articles left this month", "3 of 5 free articles remaining"
    "meter_notice": whole_line(
        r"(?:you\s+have\s+)?(?:\d+|one|two|three)\s+(?:of\s+\d+\s+)?free\s+(?:articles?|stories)"
        r"\s+(?:left|remaining)(?:\s+this\s+(?:month|week))?|"
        r"(?:sie\s+haben\s+)?(?:noch\s+)?\d+\s+(?:von\s+\d+\s+)?kostenlose[n]?\s+artikel"
        r"(?:\s+(?:übrig|frei))?(?:\s+(?:in\s+)?diese[nm]\s+monat)?|"
        r"il\s+vous\s+reste\s+\d+\s+articles?\s+gratuits?[^.!?]{0,30}|"
        r"te\s+quedan?\s+\d+\s+(?:artículos|noticias)\s+gratis[^.!?]{0,30}"
    ),
}

# Boilerplate lines that are stripped anywhere but do not mean the page is paywalled; tried in
# this order (the first pattern that matches names the line).
BOILERPLATE_PATTERNS: dict[str, re.Pattern[str]] = {**PROMPT_PATTERNS, **NOTE_PATTERNS}

# Photo captions and credits, recognised by the credit that ends them.
CAPTION_PATTERNS: dict[str, re.Pattern[str]] = {
    # "(AP Photo/Andrew Harnik)", "(AP Photo/Jane Doe, File)", "(AP Photo)"
    "ap_photo": re.compile(r"\(\s*AP\s+Photo(?:\s*/\s*[^()]{1,80})?\s*\)\s*$"),
    # "REUTERS/Kevin Lamarque", "REUTERS/Jane Doe/File Photo", "(REUTERS/Jane Doe)"
    "reuters_photo": re.compile(r"\bREUTERS\s*/\s*[^\W\d_][^()/]{1,60}(?:/[^()/]{1,30})*\)?\s*$"),
    # "Photo: Jane Doe/Demo Wire", "Photograph: Jane Doe/AFP", "Credit: Getty Images"
    "photo_label": re.compile(
        r"\b(?:Photo|Photograph|Picture|Image|Foto|Bild|Credit|Photo\s+credit)s?\s*:\s*"
        r"[^.:!?]{2,80}?\)?\s*$",
        re.IGNORECASE,
    ),
    # "(Photo by Jane Doe/Getty Images)", "(Photo courtesy of the museum)"
    "photo_by": re.compile(
        r"\((?:Photo|Photograph|Picture|Image)s?\s+(?:by|courtesy\s+of|from)\s+[^()]{2,80}\)\s*$",
        re.IGNORECASE,
    ),
    # "Jane Doe/AFP via Getty Images", "Jane Doe/Getty Images", "EPA/Jane Doe"
    "agency_credit": re.compile(
        r"(?:\b[^\W\d_][\w.'’ -]{1,40}/(?:AFP|EPA|Getty\s+Images|Bloomberg|Shutterstock|AAP|"
        r"ANP|dpa|picture\s+alliance)(?:\s+via\s+Getty\s+Images)?"
        r"|\b(?:AFP|EPA-EFE|EPA|dpa)\s*/\s*[^\W\d_][^()/]{1,60}"
        r"|\bvia\s+Getty\s+Images)\)?\s*$"
    ),
    # Japanese press photo credit closing a caption: "…霞ケ関で（潟沼義樹撮影）" ("photo by")
    "photo_by_ja": re.compile(r"[（(][^（）()]{1,20}撮影[）)]\s*$"),
}


# What every line a slow pattern matches holds (one of the lower-case words), read off the
# pattern: a line without any skips the pattern. Most lines are article sentences, and these
# patterns backtrack over them (service_pitch alone cost 25 µs a line, a substring test 0.1).
PATTERN_NEEDS: dict[str, tuple[str, ...]] = {
    # its look-ahead wants a newsletter, app, channel or e-paper word
    "service_pitch": ("newsletter", "app", "telegram", "kanal", "channel", "paper"),
    "agency_credit": ("/", "getty"),  # "Name/AFP", "EPA/Name", "via Getty Images"
    "photo_label": (":",),  # "Photo: ...", "Credit: ..."
    "affiliate_disclosure": ("affiliate", "commission", "provision"),
    "newsletter_pitch": ("sign", "inbox"),  # "sign up for our...", "...in your inbox"
    "media_teaser": ("|",),  # "21.04.2024 | 3:18 min"
    "reuters_photo": ("reuters",),
    # "with files/reporting/reports from", "additional reporting", "contributed to this
    # report", "mit Agenturmaterial / Material von", "con información de"
    "contributor_credits": ("files", "report", "contributed", "material", "información"),
    "copyright_intl": ("rechte", "droits", "derechos", "diritti"),
    "photo_by_ja": ("撮影",),
    "staff_credits": (":",),  # "Redaktion: ...", "Editing: ..."
}

# Characters re.IGNORECASE equates with an ASCII letter but str.lower() leaves apart.
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s"})


def lower(line: str) -> str:
    """line lower-cased so that a PATTERN_NEEDS word is in it whenever re.IGNORECASE finds it."""
    return line.lower() if line.isascii() else line.translate(_FOLD).lower()
